"""The query text, filters, cursors and scope clauses of a search, without services."""

from __future__ import annotations

import pytest

from hub.access.scope import Scope, scope_to_es
from hub.core.paging import PaginationError
from search.filters import (
    SearchFilters,
    SearchOrder,
    decode_search_cursor,
    encode_search_cursor,
    filter_clauses,
)
from search.highlight import surface_forms
from search.service import SearchRequest, search_body
from search.syntax import parse_query


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("pemilihan OR pilkada", "pemilihan | pilkada"),
        ("pemilihan AND pilkada", "pemilihan + pilkada"),
        ("pemilihan NOT demo", "pemilihan -demo"),
        ('"kepala OR daerah" OR bupati', '"kepala OR daerah" | bupati'),
        ("pemilihan or pilkada", "pemilihan or pilkada"),  # only the capitalised word is an operator
        ("(a OR b) -c", "(a | b) -c"),
    ],
)
def test_operator_words_become_simple_query_syntax(raw: str, text: str) -> None:
    assert parse_query(raw).text == text


def test_plain_queries_allow_typos_and_keep_phrases_and_exclusions() -> None:
    parsed = parse_query('pemilihan "unjuk rasa" -demo NOT "kantor bupati"')
    assert parsed.loose is True
    assert parsed.words == ("pemilihan",)
    assert parsed.phrases == ("unjuk rasa",)
    assert parsed.excluded == ("demo", '"kantor bupati"')


@pytest.mark.parametrize("raw", ["a | b", "(a b)", "pemilih*", "pemilihan~1", '"a b"~2', "-a"])
def test_operators_make_a_query_exact(raw: str) -> None:
    assert parse_query(raw).loose is False


def test_the_query_is_capped() -> None:
    assert len(parse_query("kata " * 500).text) <= 500


def test_cursors_round_trip_and_refuse_other_orders() -> None:
    cursor = encode_search_cursor(SearchOrder.NEWEST, [1767225600000, "abc"])
    assert decode_search_cursor(SearchOrder.NEWEST, cursor, 2) == [1767225600000, "abc"]
    for order, length, value in (
        (SearchOrder.OLDEST, 2, cursor),
        (SearchOrder.NEWEST, 3, cursor),
        (SearchOrder.NEWEST, 2, "bm90IGpzb24="),
        (SearchOrder.NEWEST, 2, "%%%"),
    ):
        with pytest.raises(PaginationError):
            decode_search_cursor(order, value, length)


def test_categories_are_matched_per_kind() -> None:
    (clause,) = filter_clauses(SearchFilters(categories={"case": ("nphd",), "document": ("nphd",)}))
    kinds = [part["bool"]["filter"][0]["term"]["kind"] for part in clause["bool"]["should"]]
    assert kinds == ["case", "document"]


def test_partner_report_types_limit_reports_only() -> None:
    scope = Scope.subtrees(["31"], report_types=frozenset({"quarterly"}))
    regions, types = scope_to_es(scope, report_type_field="report_type")
    assert regions == {"terms": {"region_path": ["31"]}}
    allowed, not_a_report = types["bool"]["should"]
    assert allowed == {"terms": {"report_type": ["quarterly"]}}
    assert not_a_report == {"bool": {"must_not": [{"exists": {"field": "report_type"}}]}}
    assert scope_to_es(scope) == [regions]  # callers that do not name the field keep the region filter


@pytest.mark.parametrize("scope", [Scope.everything(), Scope.subtrees(["11.01"]), Scope.nothing()])
def test_the_scope_filter_is_part_of_every_search(scope: Scope) -> None:
    body = search_body(SearchRequest(text="pemilihan", filters=SearchFilters(region="31")), scope)
    filters = body["query"]["bool"]["filter"]
    assert filters[: len(scope_to_es(scope))] == scope_to_es(scope, report_type_field="report_type")
    assert {"term": {"region_path": "31"}} in filters
    assert "'query_string'" not in str(body)


def test_surface_forms_share_the_stem() -> None:
    forms = surface_forms("pilih")
    assert {"memilih", "pemilihan", "terpilih", "dipilih", "pilihan", "pilih"} <= forms
    assert "menulis" not in forms
