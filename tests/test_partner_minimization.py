"""Partner minimization: a partner grant learns nothing about a field outside its grant, not from snippets,
full-text matches, filters, sort orders, facets or counts, and its every read is logged whatever the query
does to hide it (aliases, comments, padding variables).

The records live in region 64 (Kalimantan Timur), which no other test uses; every text carries this module's
marker, so a search reaches only them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    ast_from_value,
    get_named_type,
    parse,
    print_ast,
    value_from_ast_untyped,
)

from hub.access.disclosure import ARGUMENTS
from hub.access.grants import create_grant
from hub.access.models import PartnerRead
from hub.access.scope import Scope
from hub.cases.models import Case, CaseCategory, FollowUp
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory
from hub.reports.models import IncidentCategory, RiskLevel
from schema.schema import build_schema
from search.indexer import bulk_index
from search.kinds import CASE_KIND, DOCUMENT_KIND, REPORT_KIND
from tests.graphql import Client, error_code, global_id, gql_as, post_as
from tests.search_corpus import (
    document,
    ensure_search_indices,
    incident,
    new_marker,
    quarterly,
)

REGION = "64.03"
# Words that occur in one field each, so a hit or a snippet tells which field it came from.
NARRATIVE_WORD = "kisahrahasia"
VALUE_WORD = "nilairahasia"
PLACE_WORD = "tempatrahasia"
FOLLOW_UP_WORD = "tindaklanjutrahasia"
OCR_WORD = "pindaianrahasia"
TITLE_ONLY = "judulsaja"

SEARCH = """query($q: String!, $filter: SearchFilter) { search(query: $q, filter: $filter, first: 50) {
  totalCount nodes { highlights titleHighlight node { ... on Report { id } ... on Case { id }
  ... on Document { id } } } } }"""


@dataclass(frozen=True)
class Records:
    marker: str
    quarterly_id: str  # narratives: NARRATIVE_WORD; a TEXT value: VALUE_WORD
    bare_id: str  # no narrative, a TEXT value only, TITLE_ONLY in the title
    incident_id: str  # its place: PLACE_WORD
    case_id: str  # its follow-up: FOLLOW_UP_WORD
    early_due_case_id: str  # created last, due first
    document_id: str  # its extracted (OCR) text: OCR_WORD


@pytest.fixture(scope="module")
async def records(seeded: Clients) -> Records:
    await ensure_search_indices(seeded)
    m = new_marker()
    report = await quarterly(
        REGION, 2026, 1, f"Laporan triwulan Berau {m}", f"Situasi {NARRATIVE_WORD} kondusif. {m}"
    )
    report.values = {"public_information": f"Catatan {VALUE_WORD} {m}"}
    await report.save()
    bare = await quarterly(REGION, 2026, 2, f"Laporan {TITLE_ONLY} {m}", "")
    bare.narratives = {}
    bare.values = {"public_information": f"Isi indikator {VALUE_WORD} yang panjang {m}"}
    await bare.save()
    demo = await incident(
        REGION,
        utcnow() - timedelta(days=3),
        IncidentCategory.DEMONSTRATION,
        RiskLevel.HIGH,
        f"Unjuk rasa Berau {m}",
        f"Unjuk rasa damai. {m}",
    )
    assert demo.incident is not None
    demo.incident.place = f"Gudang {PLACE_WORD} {m}"
    await demo.save()
    late_due = await _case(m, f"Catatan {FOLLOW_UP_WORD} {m}", due_in_days=60)
    early_due = await _case(m, "Rapat koordinasi.", due_in_days=5)
    scan = await document(REGION, "pindaian.pdf", f"Hasil {OCR_WORD} {m}", DocumentCategory.MINUTES)
    prefix = seeded.settings.es_index_prefix
    for kind, items in (
        (REPORT_KIND, [report, bare, demo]),
        (CASE_KIND, [late_due, early_due]),
        (DOCUMENT_KIND, [scan]),
    ):
        outcome = await bulk_index(seeded.es, kind, items, target=kind.alias(prefix), refresh=True)
        assert not outcome.failed, outcome
    return Records(
        marker=m,
        quarterly_id=global_id("Report", report.id),
        bare_id=global_id("Report", bare.id),
        incident_id=global_id("Report", demo.id),
        case_id=global_id("Case", late_due.id),
        early_due_case_id=global_id("Case", early_due.id),
        document_id=global_id("Document", scan.id),
    )


async def _case(marker: str, follow_up: str, *, due_in_days: int) -> Case:
    made = Case(
        region_code=REGION,
        region_path=["ID", "64", REGION],
        title=f"Kendala logistik {marker}",
        description=f"Distribusi logistik terlambat. {marker}",
        category=CaseCategory.LOGISTICS,
        severity=RiskLevel.HIGH,
        due_at=utcnow() + timedelta(days=due_in_days),
        opened_by="user:tests",
        follow_ups=[FollowUp(actor="user:tests", note=follow_up)],
    )
    await made.insert()
    return made


async def grant(*fields: str, agency: str = "KPU") -> tuple[str, str]:
    """A partner token over region 64 with these fields, and its grant id."""
    created = await create_grant(
        actor="user:admin",
        agency=agency,
        region_roots=["64"],
        fields=list(fields),
        expires_at=utcnow() + timedelta(days=2),
    )
    return created.token, str(created.grant.id)


async def search(client_for: Client, token: str, query: str, **given: Any) -> dict[str, Any]:
    variables = {"q": query, "filter": given or None}
    result: dict[str, Any] = (await gql_as(client_for, token, SEARCH, variables))["search"]
    return result


def hit_ids(result: dict[str, Any]) -> set[str]:
    return {hit["node"]["id"] for hit in result["nodes"]}


# --- snippets ---------------------------------------------------------------------------------------------


async def test_snippets_never_quote_a_field_outside_the_grant(records: Records, client_for: Client) -> None:
    token, _ = await grant("Report.title", "Report.narratives")
    found = await search(client_for, token, records.marker)
    assert records.quarterly_id in hit_ids(found) and records.incident_id in hit_ids(found)
    quoted = " ".join(" ".join(hit["highlights"]) for hit in found["nodes"])
    assert NARRATIVE_WORD in quoted  # the granted narrative is quoted…
    assert VALUE_WORD not in quoted and PLACE_WORD not in quoted  # …the indicator value and place never


async def test_a_hit_without_a_match_in_granted_text_shows_no_other_text(
    records: Records, client_for: Client
) -> None:
    token, _ = await grant("Report.title", "Report.narratives")
    found = await search(client_for, token, TITLE_ONLY)
    (hit,) = found["nodes"]
    assert hit["node"]["id"] == records.bare_id
    assert hit["highlights"] == []
    assert TITLE_ONLY in (hit["titleHighlight"] or "")


# --- full text matches only granted fields ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "without", "with_field", "targets"),
    [
        (NARRATIVE_WORD, ("Report.title",), "Report.narratives", ("quarterly_id",)),
        (VALUE_WORD, ("Report.title", "Report.narratives"), "Report.values", ("quarterly_id", "bare_id")),
        (PLACE_WORD, ("Report.title", "Report.narratives"), "Report.incident", ("incident_id",)),
        (FOLLOW_UP_WORD, ("Case.title", "Case.description"), "Case.followUps", ("case_id",)),
        (OCR_WORD, ("Document.fileName",), "Document.text", ("document_id",)),
    ],
)
async def test_a_word_matches_only_for_a_grant_that_reads_its_field(
    word: str,
    without: tuple[str, ...],
    with_field: str,
    targets: tuple[str, ...],
    records: Records,
    client_for: Client,
) -> None:
    blind, _ = await grant(*without)
    nothing = await search(client_for, blind, f"{word} {records.marker}")
    assert nothing["totalCount"] == 0 and nothing["nodes"] == []
    # An excluded word is an oracle too: excluding it must change nothing for a grant that cannot read it.
    everything = await search(client_for, blind, records.marker)
    excluded = await search(client_for, blind, f"{records.marker} -{word}")
    assert excluded["totalCount"] == everything["totalCount"]
    seeing, _ = await grant(*without, with_field)
    found = await search(client_for, seeing, f"{word} {records.marker}")
    assert hit_ids(found) == {getattr(records, target) for target in targets}
    assert found["totalCount"] == len(targets)


# --- filters, orders and facets need their field -----------------------------------------------------------

REPORTS = "query($f: ReportFilterInput, $o: ReportOrder) { reports(filter: $f, orderBy: $o) { totalCount } }"
CASES = "query($f: CaseFilter, $o: CaseOrder) { cases(filter: $f, orderBy: $o, first: 50) { totalCount } }"
ORACLES: list[tuple[str, str, dict[str, Any], str, str]] = [
    # (name, query, variables, refused argument, the field it needs)
    ("author", REPORTS, {"f": {"author": "tests"}}, "filter.author", "Report.author"),
    ("report status", REPORTS, {"f": {"statuses": ["SUBMITTED"]}}, "filter.statuses", "Report.status"),
    ("risk level", REPORTS, {"f": {"riskLevels": ["LOW"]}}, "filter.riskLevels", "Report.riskLevel"),
    ("report due order", REPORTS, {"o": "DUE_SOONEST"}, "orderBy", "Report.dueAt"),
    ("case severity", CASES, {"f": {"severities": ["HIGH"]}}, "filter.severities", "Case.severity"),
    ("case status", CASES, {"f": {"statuses": ["OPEN"]}}, "filter.statuses", "Case.status"),
    ("case due order", CASES, {"o": "DUE_AT_DESC"}, "orderBy", "Case.dueAt"),
    ("search status", SEARCH, {"q": "", "filter": {"reportStatuses": ["SUBMITTED"]}}, "", "Report.status"),
    ("search severity", SEARCH, {"q": "", "filter": {"severities": ["HIGH"]}}, "", "Case.severity"),
]


@pytest.mark.parametrize(
    ("name", "query", "variables", "argument", "needed"), ORACLES, ids=[o[0] for o in ORACLES]
)
async def test_a_filter_or_order_on_a_field_outside_the_grant_is_refused(
    name: str,
    query: str,
    variables: dict[str, Any],
    argument: str,
    needed: str,
    records: Records,
    client_for: Client,
) -> None:
    titles, _ = await grant("Report.title", "Case.title", "Document.fileName")
    refused = await post_as(client_for, titles, query, variables)
    assert refused["data"] is None
    assert error_code(refused) == "FIELD_NOT_GRANTED"
    message = refused["errors"][0]["message"]
    assert argument in message and needed in message
    # The same request as an inline literal is refused alike (not only through variables).
    if name == "author":
        inline = await post_as(client_for, titles, '{ reports(filter: {author: "tests"}) { totalCount } }')
        assert error_code(inline) == "FIELD_NOT_GRANTED"


async def test_a_grant_with_the_field_may_filter_by_it(records: Records, client_for: Client) -> None:
    token, _ = await grant("Report.title", "Report.status", "Case.title", "Case.severity")
    reports = await gql_as(client_for, token, REPORTS, {"f": {"statuses": ["SUBMITTED"], "region": REGION}})
    assert reports["reports"]["totalCount"] == 3
    cases = await gql_as(client_for, token, CASES, {"f": {"severities": ["HIGH"], "region": REGION}})
    assert cases["cases"]["totalCount"] == 2


async def test_facets_and_similar_need_what_they_count(records: Records, client_for: Client) -> None:
    token, _ = await grant("Report.title", "Report.similar", "Case.title", "Document.fileName")
    facets = await post_as(client_for, token, "{ search { facets { category { key count } } } }")
    assert error_code(facets) == "FIELD_NOT_GRANTED"
    assert "SearchFacets.category" in facets["errors"][0]["message"]
    similar = await post_as(
        client_for,
        token,
        "query($id: ID!) { node(id: $id) { ... on Report { similar { id } } } }",
        {"id": records.quarterly_id},
    )
    assert error_code(similar) == "FIELD_NOT_GRANTED"
    provinces = await gql_as(client_for, token, "{ search { facets { province { key } kind { key } } } }")
    assert {bucket["key"] for bucket in provinces["search"]["facets"]["province"]} == {"64"}


async def test_the_default_case_order_tells_no_due_date(records: Records, client_for: Client) -> None:
    """Cases come by due date by default; to a grant without `Case.dueAt` they come by creation instead."""
    query = '{ cases(filter: {region: "64.03"}, first: 50) { nodes { id } } }'
    titles, _ = await grant("Case.title")
    listed = [node["id"] for node in (await gql_as(client_for, titles, query))["cases"]["nodes"]]
    assert listed == [records.case_id, records.early_due_case_id]  # created first, due last
    dates, _ = await grant("Case.title", "Case.dueAt")
    listed = [node["id"] for node in (await gql_as(client_for, dates, query))["cases"]["nodes"]]
    assert listed == [records.early_due_case_id, records.case_id]


async def test_a_grant_learns_not_even_how_many_records_of_a_type_it_reads_nothing_of(
    records: Records, client_for: Client
) -> None:
    """`cases { totalCount }` needs no field of Case, yet says how many cases a region has: a grant that reads
    no field of Case is refused the listing, counts and pages included; one that reads a field gets it."""
    reports_only, _ = await grant("Report.title")
    counted = '{ cases(filter: {region: "64.03"}) { totalCount pageInfo { hasNextPage } } }'
    refused = await post_as(client_for, reports_only, counted)
    assert refused["data"] is None
    assert error_code(refused) == "FIELD_NOT_GRANTED"
    assert "Case" in refused["errors"][0]["message"]
    cases_too, _ = await grant("Report.title", "Case.title")
    assert (await gql_as(client_for, cases_too, counted))["cases"]["totalCount"] == 2


# --- the read log -----------------------------------------------------------------------------------------


async def _reads(grant_id: str) -> list[PartnerRead]:
    from beanie import PydanticObjectId

    return await PartnerRead.find({"grant_id": PydanticObjectId(grant_id)}).to_list()


async def test_every_object_read_is_logged_whatever_the_alias(records: Records, client_for: Client) -> None:
    token, grant_id = await grant("Report.title", "Case.title")
    aliased = """query Aliased($a: ID!, $b: ID!, $c: ID!) {
      first: node(id: $a) { ident: id } second: node(id: $b) { ... on Case { heading: title } }
      third: node(id: $c) { kind: __typename } }"""
    variables = {"a": records.quarterly_id, "b": records.case_id, "c": records.bare_id}
    body = await post_as(client_for, token, aliased, variables)
    assert "errors" not in body, body
    (read,) = await _reads(grant_id)
    assert {records.quarterly_id, records.case_id, records.bare_id} <= set(read.object_ids)
    assert read.fields == ["Case.title"]


async def test_a_long_comment_does_not_push_the_query_out_of_the_log(
    records: Records, client_for: Client
) -> None:
    token, grant_id = await grant("Report.title")
    operation = "query Hidden($id: ID!) { node(id: $id) { ... on Report { title } } }"
    padded = "# " + "x" * 12_000 + "\n" + operation + "\nquery Other { viewer { name } }"
    response = await _post_named(client_for, token, padded, {"id": records.quarterly_id}, "Hidden")
    assert "errors" not in response, response
    (read,) = await _reads(grant_id)
    expected = print_ast(parse(operation))
    assert read.query == expected
    assert read.query_sha256 == hashlib.sha256(expected.encode()).hexdigest()
    assert "xxxx" not in read.query and "Other" not in read.query
    assert records.quarterly_id in read.object_ids


async def test_variables_in_the_log_are_declared_and_bounded(records: Records, client_for: Client) -> None:
    token, grant_id = await grant("Report.title")
    query = "query Padded($id: ID!, $q: String!) { node(id: $id) { id } search(query: $q) { totalCount } }"
    variables = {"id": records.quarterly_id, "q": "y" * 50_000, "pad": "z" * 200_000}
    body = await post_as(client_for, token, query, variables)
    assert "errors" not in body, body
    (read,) = await _reads(grant_id)
    assert set(read.variables) == {"id", "q"}
    assert read.variables["id"] == records.quarterly_id
    assert len(json.dumps(read.variables)) < 4_000


async def _post_named(
    client_for: Client, token: str, query: str, variables: dict[str, Any], operation: str
) -> dict[str, Any]:
    async with client_for(token) as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables, "operationName": operation}
        )
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


# --- the table covers the schema --------------------------------------------------------------------------

# Defaults that would disclose a field, and how the resolver keeps them from doing so.
DISCLOSING_DEFAULTS = {"Query.cases(orderBy)": "hub.cases.listing.order_for: creation order instead"}


def _declarations(schema: GraphQLSchema) -> Iterator[tuple[str, GraphQLInputType, Any]]:
    """Every argument of every field a query or subscription can reach (mutations are refused to partners
    whole), and every field of the input objects they take: key, type, default."""
    seen: set[str] = set()

    def inputs(type_: GraphQLInputType) -> Iterator[tuple[str, GraphQLInputType, Any]]:
        named = get_named_type(type_)
        if not isinstance(named, GraphQLInputObjectType) or named.name in seen:
            return
        seen.add(named.name)
        for name, field in named.fields.items():
            yield f"{named.name}.{name}", field.type, field.default_value
            yield from inputs(field.type)

    mutation = schema.mutation_type.name if schema.mutation_type else None
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__") or type_.name == mutation:
            continue
        for field_name, field in type_.fields.items():
            for name, argument in field.args.items():
                yield f"{type_.name}.{field_name}({name})", argument.type, argument.default_value
                yield from inputs(argument.type)


def test_every_argument_and_input_field_is_declared_and_defaults_disclose_nothing() -> None:
    schema = build_schema(production=False)._schema
    titles_only = Scope.subtrees(["64"], fields=frozenset({"Report.title"}))
    undeclared, disclosing = [], []
    for key, type_, default in _declarations(schema):
        if key not in ARGUMENTS:
            undeclared.append(key)
            continue
        if default is Undefined or default is None or key in DISCLOSING_DEFAULTS:
            continue
        literal = ast_from_value(default, type_)
        value = value_from_ast_untyped(literal) if literal is not None else None
        if ARGUMENTS[key].lacking(titles_only, value):
            disclosing.append(key)
    assert undeclared == []
    assert disclosing == []
    # And the exception is real: the default is refused when given outright.
    assert ARGUMENTS["Query.cases(orderBy)"].lacking(titles_only, "DUE_AT_ASC") == ["Case.dueAt"]
