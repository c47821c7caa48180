"""The `search` field over reports, incidents, cases and documents: Indonesian stemming, phrases, exclusion,
OR, typo tolerance, filters, facets, highlights, order, cursor pages, and `Report.similar`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.clients import Clients
from tests.conftest import Account
from tests.graphql import global_id, gql, gql_field, post, raw_id
from tests.search_corpus import Corpus, build_corpus

SEARCH = """query($q: String!, $filter: SearchFilter, $order: SearchOrder, $first: Int, $after: String) {
  search(query: $q, filter: $filter, orderBy: $order, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor }
    nodes { kind score highlights titleHighlight
      node { __typename
        ... on Report { id title } ... on Case { id title } ... on Document { id fileName } } } } }"""
FACETS = """query($q: String!, $filter: SearchFilter) { search(query: $q, filter: $filter, first: 0) {
  totalCount facets { province { key count } kind { key count } category { key count } period { key count } }
} }"""


@pytest.fixture(scope="module")
async def corpus(seeded: Clients, accounts: dict[str, Account]) -> Corpus:
    return await build_corpus(seeded)


async def search(http: httpx.AsyncClient, q: str, **variables: Any) -> dict[str, Any]:
    result: dict[str, Any] = await gql_field(http, SEARCH, {"q": q, **variables}, "search")
    return result


def found(result: dict[str, Any]) -> set[str]:
    return {raw_id(hit["node"]["id"]) for hit in result["nodes"]}


async def test_stemming_finds_other_word_forms(http: httpx.AsyncClient, corpus: Corpus) -> None:
    expected = corpus.ids("quarterly_jaksel", "neutrality_aceh", "decree_aceh")
    # "pemilihan" is in the decree only; "memilih" in the two reports: one stem, pilih.
    assert found(await search(http, f"pemilihan {corpus.marker}")) == expected
    assert found(await search(http, f"memilih {corpus.marker}")) == expected
    assert found(await search(http, f"terpilih {corpus.marker}")) == expected


async def test_kinds_come_back_as_their_own_types(http: httpx.AsyncClient, corpus: Corpus) -> None:
    result = await search(http, corpus.marker, first=20)
    kinds = {raw_id(hit["node"]["id"]): (hit["kind"], hit["node"]["__typename"]) for hit in result["nodes"]}
    assert result["totalCount"] == 6
    assert kinds[str(corpus.nphd_case.id)] == ("CASE", "Case")
    assert kinds[str(corpus.decree_aceh.id)] == ("DOCUMENT", "Document")
    assert kinds[str(corpus.demo_jakpus.id)] == ("INCIDENT", "Report")
    assert kinds[str(corpus.quarterly_jaksel.id)] == ("REPORT", "Report")


async def test_phrase_needs_the_words_in_order(http: httpx.AsyncClient, corpus: Corpus) -> None:
    assert found(await search(http, f'"unjuk rasa damai" {corpus.marker}')) == corpus.ids("demo_jakpus")
    assert found(await search(http, f'"damai rasa unjuk" {corpus.marker}')) == set()


@pytest.mark.parametrize("exclusion", ["-netralitas", "NOT netralitas", "-kepala", "-mengajak"])
async def test_exclusion(http: httpx.AsyncClient, corpus: Corpus, exclusion: str) -> None:
    # "-mengajak" is stemmed like everything else (ajak), and excluded in every branch of the query.
    result = await search(http, f"pemilihan {corpus.marker} {exclusion}")
    assert found(result) == corpus.ids("quarterly_jaksel", "decree_aceh")


@pytest.mark.parametrize("either", ["(netralitas | kerusuhan)", "(netralitas OR kerusuhan)"])
async def test_or(http: httpx.AsyncClient, corpus: Corpus, either: str) -> None:
    result = await search(http, f"{either} {corpus.marker}")
    assert found(result) == corpus.ids("neutrality_aceh", "quarterly_sumut")


async def test_typos_are_forgiven_without_loosening_phrases(http: httpx.AsyncClient, corpus: Corpus) -> None:
    assert found(await search(http, f"pemilhan {corpus.marker}")) == corpus.ids("decree_aceh")
    assert found(await search(http, f"ditandatangni {corpus.marker}")) == corpus.ids("nphd_case")
    assert found(await search(http, f'"unjuk rasa damia" {corpus.marker}')) == set()


async def test_exact_words_rank_before_typo_matches(http: httpx.AsyncClient, corpus: Corpus) -> None:
    result = await search(http, f"rapat {corpus.marker}")
    ids = [raw_id(hit["node"]["id"]) for hit in result["nodes"]]
    assert set(ids) == corpus.ids("quarterly_sumut", "nphd_case")


async def test_highlights_mark_the_original_words(http: httpx.AsyncClient, corpus: Corpus) -> None:
    result = await search(http, f"pemilihan {corpus.marker}")
    by_id = {raw_id(hit["node"]["id"]): hit for hit in result["nodes"]}
    report = by_id[str(corpus.quarterly_jaksel.id)]
    snippet = " ".join(report["highlights"])
    assert "<em>memilih</em>" in snippet, snippet
    assert f"<em>{corpus.marker}</em>" in snippet
    decree = by_id[str(corpus.decree_aceh.id)]
    assert "<em>pemilihan</em>" in " ".join(decree["highlights"])
    title = (await search(http, f"netralitas {corpus.marker}"))["nodes"][0]["titleHighlight"]
    assert title == "Pelanggaran <em>netralitas</em> ASN"


FILTERS: list[tuple[dict[str, Any], tuple[str, ...]]] = [
    ({"region": "31"}, ("quarterly_jaksel", "demo_jakpus", "nphd_case")),
    ({"region": "31.74"}, ("quarterly_jaksel", "nphd_case")),
    ({"kinds": ["INCIDENT"]}, ("demo_jakpus", "neutrality_aceh")),
    ({"kinds": ["CASE", "DOCUMENT"]}, ("nphd_case", "decree_aceh")),
    ({"reportTypes": ["QUARTERLY"]}, ("quarterly_jaksel", "quarterly_sumut")),
    ({"periodFrom": "2026-Q1"}, ("quarterly_jaksel", "demo_jakpus", "neutrality_aceh")),
    (
        {"periodFrom": "2025-Q4", "periodTo": "2026-Q1"},
        ("quarterly_jaksel", "quarterly_sumut", "neutrality_aceh"),
    ),
    ({"dateFrom": "2026-04-01T00:00:00Z", "dateTo": "2026-04-30T00:00:00Z"}, ("demo_jakpus",)),
    ({"severities": ["HIGH"]}, ("demo_jakpus",)),
    ({"incidentCategories": ["DEMONSTRATION"]}, ("demo_jakpus",)),
    ({"caseCategories": ["NPHD"]}, ("nphd_case",)),
    ({"documentCategories": ["DECREE"], "caseCategories": ["NPHD"]}, ("decree_aceh", "nphd_case")),
    ({"caseStatuses": ["OPEN"]}, ("nphd_case",)),
    ({"reportStatuses": ["SUBMITTED"], "region": "11"}, ("neutrality_aceh",)),
]


@pytest.mark.parametrize(("given", "expected"), FILTERS)
async def test_filters(
    http: httpx.AsyncClient, corpus: Corpus, given: dict[str, Any], expected: tuple[str, ...]
) -> None:
    result = await search(http, corpus.marker, filter=given, first=20)
    assert found(result) == corpus.ids(*expected)
    assert result["totalCount"] == len(expected)


async def test_facets_count_every_hit(http: httpx.AsyncClient, corpus: Corpus) -> None:
    result = await gql_field(http, FACETS, {"q": corpus.marker}, "search")
    facets = {name: {b["key"]: b["count"] for b in buckets} for name, buckets in result["facets"].items()}
    assert result["totalCount"] == 6
    assert facets["province"] == {"31": 3, "11": 2, "12": 1}
    assert facets["kind"] == {"report": 2, "incident": 2, "case": 1, "document": 1}
    assert facets["category"] == {"demonstration": 1, "neutrality_breach": 1, "nphd": 1, "decree": 1}
    assert facets["period"] == {"2026-Q2": 1, "2026-Q1": 2, "2025-Q4": 1}
    assert list(facets["period"]) == ["2026-Q2", "2026-Q1", "2025-Q4"]


async def test_order_by_date(http: httpx.AsyncClient, corpus: Corpus) -> None:
    newest = await search(http, corpus.marker, filter={"kinds": ["INCIDENT"]}, order="NEWEST")
    assert [raw_id(hit["node"]["id"]) for hit in newest["nodes"]] == [
        str(corpus.demo_jakpus.id),
        str(corpus.neutrality_aceh.id),
    ]
    oldest = await search(http, corpus.marker, filter={"kinds": ["INCIDENT"]}, order="OLDEST")
    assert [hit["node"]["id"] for hit in oldest["nodes"]] == [hit["node"]["id"] for hit in newest["nodes"]][
        ::-1
    ]


@pytest.mark.parametrize("order", ["RELEVANCE", "NEWEST", "OLDEST"])
async def test_cursor_pages_cover_every_hit_once(http: httpx.AsyncClient, corpus: Corpus, order: str) -> None:
    seen: list[str] = []
    after = None
    for _ in range(10):
        page = await search(http, corpus.marker, first=2, after=after, order=order)
        seen += [raw_id(hit["node"]["id"]) for hit in page["nodes"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 6


async def test_a_cursor_from_another_order_is_refused(http: httpx.AsyncClient, corpus: Corpus) -> None:
    page = await search(http, corpus.marker, first=1, order="NEWEST")
    variables = {"q": corpus.marker, "first": 1, "after": page["pageInfo"]["endCursor"], "order": "OLDEST"}
    body = await post(http, SEARCH, variables)
    assert body["data"] is None
    assert "not valid" in body["errors"][0]["message"]


async def test_a_bad_period_is_refused(http: httpx.AsyncClient, corpus: Corpus) -> None:
    variables = {"q": corpus.marker, "filter": {"periodFrom": "2026-5"}}
    body = await post(http, SEARCH, variables)
    assert "2026-Q1" in body["errors"][0]["message"]


async def test_query_text_is_never_raw_query_string_syntax(http: httpx.AsyncClient, corpus: Corpus) -> None:
    # query_string would reject or interpret these; simple_query_string treats them as text.
    for q in ["title:(x", "a AND (b", "/regex/", 'kantor" OR "', "a~~~ \\"]:
        await search(http, q)


SIMILAR = """query($id: ID!) { node(id: $id) { ... on Report { similar(first: 5) { id title } } } }"""


async def test_similar_reports_across_visible_regions(http: httpx.AsyncClient, corpus: Corpus) -> None:
    report_id = global_id("Report", corpus.quarterly_jaksel.id)
    similar = (await gql(http, SIMILAR, {"id": report_id}))["node"]["similar"]
    ids = [raw_id(item["id"]) for item in similar]
    assert str(corpus.quarterly_jaksel.id) not in ids
    assert str(corpus.neutrality_aceh.id) in ids  # another province: "warga memilih"
    assert str(corpus.nphd_case.id) not in ids and str(corpus.decree_aceh.id) not in ids
