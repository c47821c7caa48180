"""One way for each thing: each inconsistency a new frontend developer met has a test here that fails if it
comes back — regions named one way everywhere, records referenced by objects or global ids that `node`
accepts, actors as `User`s that respect visibility, closed sets as uppercase enums (exports included), typed
codes on every top-level error, connections paging both ways, typed values instead of JSON."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)

from hub.access.errors import AccessError, AccessErrorCode
from hub.access.grants import create_grant
from hub.core.clock import utcnow
from schema.schema import build_schema
from tests.conftest import TEST_PASSWORD, Account
from tests.graphql import Client, global_id, gql_as, gql_field_as, post_as
from tests.reports_helpers import COMPLETE_VALUES, NARRATIVES, STEP, content, create_report, uploaded_document
from tests.test_reports import fresh_period

SCHEMA: GraphQLSchema = build_schema(production=False)._schema

# Output fields whose values are a closed set, by name: they must be enums (deprecated stand-ins aside).
CLOSED_SET_FIELDS = {"action", "kind", "status", "category", "severity", "level", "role", "type", "change"}
ACTORS = {
    ("ReviewEvent", "actor"),
    ("ReportRevision", "submittedBy"),
    ("Report", "author"),
    ("Report", "reviewer"),
    ("Case", "openedBy"),
    ("CaseFollowUp", "actor"),
    ("CaseResolution", "actor"),
    ("Election", "createdBy"),
    ("PartnerGrant", "createdBy"),
    ("PartnerGrantWebhook", "setBy"),
}
SEARCH_CONNECTIONS = {("Query", "search"), ("SavedSearch", "results")}  # Elasticsearch pages forwards only


def _objects() -> list[GraphQLObjectType]:
    return [
        type_
        for name, type_ in SCHEMA.type_map.items()
        if isinstance(type_, GraphQLObjectType) and not name.startswith("__")
    ]


def _inputs() -> list[GraphQLInputObjectType]:
    return [type_ for type_ in SCHEMA.type_map.values() if isinstance(type_, GraphQLInputObjectType)]


# --- regions: one convention, the official code ------------------------------------------------------------


def test_every_region_argument_and_input_is_a_region_code() -> None:
    """Inputs, filters, arguments and subscriptions all take the RegionCode scalar (was: Region ids in
    mutation inputs, codes in filters)."""
    region_names = {"region", "regionCodes", "parent"}
    found = []
    for type_ in _inputs():
        found += [(f"{type_.name}.{n}", f.type) for n, f in type_.fields.items() if n in region_names]
    for type_ in [*_objects(), SCHEMA.subscription_type]:
        assert type_ is not None
        for field_name, field in type_.fields.items():
            found += [
                (f"{type_.name}.{field_name}({n})", a.type)
                for n, a in field.args.items()
                if n in region_names
            ]
    found.append(
        ("Mutation.regionIslandSet(id)", SCHEMA.mutation_type.fields["regionIslandSet"].args["id"].type)
    )  # type: ignore[union-attr]
    wrong = [name for name, type_ in found if get_named_type(type_).name != "RegionCode"]
    assert len(found) > 20
    assert wrong == []


async def test_a_user_is_created_with_a_region_code_or_a_region_id(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    """`"31.74"` in userCreate (was: "Value cannot represent a GlobalID" and no code)."""
    mutation = """mutation($input: UserCreateInput!) { userCreate(input: $input) {
      user { region { code } } errors { field code } } }"""
    answers = []
    for region in ("31.74", global_id("Region", "31.74"), "99.99", "not a region"):
        name = f"kons-{uuid.uuid4().hex[:8]}"
        variables = {
            "input": {"username": name, "password": TEST_PASSWORD, "role": "OPERATOR", "region": region}
        }
        answers.append(await gql_field_as(client_for, accounts["admin"].token, mutation, variables))
    assert [answer["user"] for answer in answers[:2]] == [{"region": {"code": "31.74"}}] * 2
    assert [answer["errors"] for answer in answers[2:]] == [
        [{"field": "region", "code": "REGION_NOT_FOUND"}]
    ] * 2


# --- references to stored records --------------------------------------------------------------------------


async def test_evidence_names_documents_as_node_and_report_update_take_them(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    """Report.evidence.documentIds were raw database ids that neither `node` nor reportUpdate accepted."""
    token = accounts["operator-31.74"].token
    document = await uploaded_document(client_for, token, "31.74")
    year, quarter = fresh_period()
    report = await create_report(
        client_for,
        token,
        "31.74",
        year,
        quarter,
        {"evidence": [{"indicator": "nphd_signed", "documents": [document]}]},
    )
    query = """query($id: ID!) { node(id: $id) { ... on Report { version evidence {
      indicator documentIds documents { id } } } } }"""
    found = (await gql_as(client_for, token, query, {"id": report["id"]}))["node"]
    [evidence] = found["evidence"]
    assert evidence == {
        "indicator": "nphd_signed",
        "documentIds": [document],
        "documents": [{"id": document}],
    }
    node = await gql_as(client_for, token, "query($id: ID!) { node(id: $id) { id } }", {"id": document})
    assert node["node"] == {"id": document}
    update = """mutation($id: ID!, $input: ReportUpdateInput!) { reportUpdate(id: $id, input: $input) {
      errors { code } report { evidence { documentIds } } } }"""
    again = {"content": {"evidence": [{"indicator": "nphd_signed", "documents": evidence["documentIds"]}]}}
    updated = await gql_field_as(client_for, token, update, {"id": report["id"], "input": again})
    assert updated["errors"] == []
    assert updated["report"]["evidence"] == [{"documentIds": [document]}]


def test_no_output_field_holds_a_database_id() -> None:
    """A field named like an id of a record is an `ID` (a global id) or an object."""
    wrong = [
        f"{type_.name}.{name}"
        for type_ in _objects()
        for name, field in type_.fields.items()
        if (name.endswith("Id") or name.endswith("Ids"))
        and name != "clientMutationId"  # the client's own text, echoed
        and get_named_type(field.type).name != "ID"
    ]
    assert wrong == []


# --- actors ------------------------------------------------------------------------------------------------


def test_every_actor_is_a_user() -> None:
    """Actors were strings (`user:<name>`) in ReviewEvent.actor, Case.openedBy and follow-ups."""
    kinds = {
        (owner, name): get_named_type(SCHEMA.type_map[owner].fields[name].type).name for owner, name in ACTORS
    }  # type: ignore[union-attr]
    assert set(kinds.values()) == {"User"}
    strings = [
        f"{type_.name}.{name}"
        for type_ in _objects()
        for name, field in type_.fields.items()
        if name in {"actor", "openedBy", "createdBy", "submittedBy", "setBy"}
        and get_named_type(field.type).name == "String"
    ]
    assert strings == []


async def test_an_actor_the_viewer_may_not_see_is_null(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    """The province's coordinator verified; the regency's operator may not see that account: null, no name."""
    operator, coordinator = accounts["operator-31.74"].token, accounts["coordinator-31"].token
    year, quarter = fresh_period()
    report = await create_report(
        client_for, operator, "31.74", year, quarter, content(COMPLETE_VALUES, NARRATIVES)
    )
    submitted = await gql_field_as(
        client_for, operator, STEP["reportSubmit"], {"id": report["id"], "input": None}
    )
    assert submitted["errors"] == []
    verified = await gql_field_as(
        client_for, coordinator, STEP["reportVerify"], {"id": report["id"], "input": None}
    )
    assert verified["report"]["reviews"][-1]["actor"] == {"username": "coordinator-31"}
    query = """query($id: ID!) { node(id: $id) { ... on Report {
      reviewer { username } reviews { action actor { username } } } } }"""
    seen = (await gql_as(client_for, operator, query, {"id": report["id"]}))["node"]
    assert seen["reviewer"] is None
    assert seen["reviews"] == [
        {"action": "SUBMIT", "actor": {"username": "operator-31.74"}},
        {"action": "VERIFY", "actor": None},
    ]


# --- closed sets are enums, one casing ---------------------------------------------------------------------


def test_closed_sets_are_enums() -> None:
    """ReviewEvent.action was lowercase text, facet keys lowercase strings: each such field is an enum now."""
    wrong = [
        f"{type_.name}.{name}"
        for type_ in _objects()
        for name, field in type_.fields.items()
        if name in CLOSED_SET_FIELDS
        and field.deprecation_reason is None
        and not isinstance(get_named_type(field.type), GraphQLEnumType | GraphQLObjectType)
    ]
    assert wrong == []
    facets = SCHEMA.type_map["SearchFacets"]
    assert isinstance(facets, GraphQLObjectType)
    typed = {
        name: get_named_type(field.type).name
        for name, field in facets.fields.items()
        if not field.deprecation_reason
    }
    assert typed == {
        "provinces": "SearchProvinceBucket",
        "kinds": "SearchKindBucket",
        "categories": "SearchCategoryBucket",
        "periods": "SearchPeriodBucket",
    }
    for type_ in SCHEMA.type_map.values():
        if isinstance(type_, GraphQLEnumType) and not type_.name.startswith("__"):
            assert all(value == value.upper() for value in type_.values), type_.name


def test_grant_report_types_are_report_types() -> None:
    """PartnerGrantCreateInput.reportTypes was a free [String!] ("QUARTERLY" granted nothing)."""
    field = SCHEMA.type_map["PartnerGrantCreateInput"].fields["reportTypes"]  # type: ignore[union-attr]
    assert isinstance(field.type, GraphQLList) and isinstance(field.type.of_type, GraphQLNonNull)
    assert get_named_type(field.type).name == "ReportType"
    assert get_named_type(SCHEMA.type_map["PartnerGrant"].fields["reportTypes"].type).name == "ReportType"  # type: ignore[union-attr]


async def test_a_grant_of_quarterly_reports_reads_them_and_a_made_up_type_is_refused(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    mutation = """mutation($input: PartnerGrantCreateInput!) { partnerGrantCreate(input: $input) {
      token grant { reportTypes } errors { code } } }"""
    expires = utcnow() + timedelta(days=30)
    base = {
        "agency": "KPU",
        "regionCodes": ["31.74"],
        "fields": ["Report.title"],
        "expiresAt": expires.isoformat(),
    }
    made = await gql_field_as(
        client_for, accounts["admin"].token, mutation, {"input": {**base, "reportTypes": ["QUARTERLY"]}}
    )
    assert made["errors"] == [] and made["grant"]["reportTypes"] == ["QUARTERLY"]
    year, quarter = fresh_period()
    report = await create_report(client_for, accounts["operator-31.74"].token, "31.74", year, quarter)
    seen = await gql_as(
        client_for, made["token"], "query($id: ID!) { node(id: $id) { id } }", {"id": report["id"]}
    )
    assert seen["node"] == {"id": report["id"]}
    refused = await post_as(
        client_for, accounts["admin"].token, mutation, {"input": {**base, "reportTypes": ["laporan-bulanan"]}}
    )
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    with pytest.raises(AccessError) as raised:  # the domain refuses it too, whoever calls it
        await create_grant(
            actor="user:admin",
            agency="KPU",
            region_roots=["31"],
            fields=["Report.title"],
            expires_at=expires,
            report_types=["laporan-bulanan"],
        )
    assert (raised.value.code, raised.value.field) == (AccessErrorCode.INVALID_GRANT, "reportTypes")


async def test_exports_use_the_api_spellings(client_for: Client, accounts: dict[str, Account]) -> None:
    """CSV exports carried raw ids and lowercase enum values."""
    token = accounts["operator-31.74"].token
    year, quarter = fresh_period()
    report = await create_report(client_for, token, "31.74", year, quarter)
    period = f"{year}-Q{quarter}"
    async with client_for(token) as client:
        response = await client.get(
            f"/exports/reports.csv?periodFrom={period}&periodTo={period}&types=QUARTERLY"
        )
    assert response.status_code == 200
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["id"], row["type"], row["status"], row["author"]) == (
        report["id"],
        "QUARTERLY",
        "DRAFT",
        "operator-31.74",
    )
    node = await gql_as(client_for, token, "query($id: ID!) { node(id: $id) { id } }", {"id": row["id"]})
    assert node["node"] == {"id": report["id"]}


# --- errors: a code on every top-level error ---------------------------------------------------------------


async def test_every_top_level_refusal_has_a_code(client_for: Client, accounts: dict[str, Account]) -> None:
    token = accounts["operator-31.74"].token
    refusals: list[tuple[str, dict[str, Any], str]] = [
        ('{ reports(after: "nope") { totalCount } }', {}, "INVALID_PAGINATION"),
        ("{ reports(first: 5000) { totalCount } }", {}, "INVALID_PAGINATION"),
        ('{ reports(after: "x", before: "y") { totalCount } }', {}, "INVALID_PAGINATION"),
        ("query($f: Int) { reports(first: $f) { totalCount } }", {"f": "many"}, "BAD_USER_INPUT"),
        ("{ reports { nope } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("{ reports {", {}, "GRAPHQL_PARSE_FAILED"),
        ('{ cases(filter: {region: "99.99"}) { totalCount } }', {}, "REGION_NOT_FOUND"),
        ('{ reports(filter: {region: "99.99"}) { totalCount } }', {}, "REGION_NOT_FOUND"),
        ("{ partnerGrants { totalCount } }", {}, "PERMISSION_DENIED"),
        ('{ node(id: "garbage") { id } }', {}, "INVALID_ID"),
        (
            '{ dashboard(from: "2030-01-02T00:00:00Z", to: "2030-01-01T00:00:00Z") { to } }',
            {},
            "INVALID_RANGE",
        ),
    ]
    for query, variables, code in refusals:
        body = await post_as(client_for, token, query, variables)
        codes = [error.get("extensions", {}).get("code") for error in body.get("errors", [])]
        assert codes and set(codes) == {code}, (query, body)


def test_request_error_codes_are_in_the_schema() -> None:
    codes = SCHEMA.type_map["RequestErrorCode"]
    assert isinstance(codes, GraphQLEnumType)
    assert {"INVALID_PAGINATION", "BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "INTERNAL_ERROR"} <= set(
        codes.values
    )


# --- pagination ---------------------------------------------------------------------------------------------


def test_lists_that_grow_are_connections_paging_both_ways() -> None:
    """partnerGrants and requirements were plain lists, partnerReads paged by timestamp, the completeness
    matrix had its own endCursor, nothing paged backwards."""
    query = SCHEMA.query_type
    assert query is not None
    plain = [
        name
        for name, field in query.fields.items()
        if isinstance(field.type, GraphQLNonNull)
        and isinstance(field.type.of_type, GraphQLList)
        and name not in {"nodes"}
    ]
    assert plain == []
    missing = []
    for type_ in _objects():
        for name, field in type_.fields.items():
            target = get_named_type(field.type)
            if not isinstance(target, GraphQLObjectType) or "pageInfo" not in target.fields:
                continue
            arguments = set(field.args)
            wanted = (
                {"first", "after"}
                if (type_.name, name) in SEARCH_CONNECTIONS
                else {"first", "after", "last", "before"}
            )
            if not wanted <= arguments or not {"edges", "nodes", "totalCount"} <= set(target.fields):
                missing.append(f"{type_.name}.{name}")
    assert missing == []
    assert get_named_type(query.fields["completenessMatrix"].type).name == "CompletenessMatrix"
    assert get_named_type(query.fields["partnerReads"].args["before"].type).name == "String"


async def test_pages_backwards_are_the_pages_forwards(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    token = accounts["reviewer"].token
    listing = """query($first: Int, $after: String, $last: Int, $before: String) {
      regions(parent: "31", first: $first, after: $after, last: $last, before: $before) {
        nodes { code } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""

    async def page(**variables: Any) -> dict[str, Any]:
        found: dict[str, Any] = (await gql_as(client_for, token, listing, variables))["regions"]
        return found

    everything = [node["code"] for node in (await page(first=100))["nodes"]]
    assert len(everything) > 4
    forwards, after = [], None
    while True:
        found = await page(first=3, after=after)
        forwards.append([node["code"] for node in found["nodes"]])
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    backwards, before = [], None
    while True:
        found = await page(last=3, before=before)
        backwards.insert(0, [node["code"] for node in found["nodes"]])
        if not found["pageInfo"]["hasPreviousPage"]:
            break
        before = found["pageInfo"]["startCursor"]
    flat = [[code for page in pages for code in page] for pages in (forwards, backwards)]
    assert flat == [everything, everything]
    assert backwards[-1] == everything[-3:]


# --- typed values ---------------------------------------------------------------------------------------


def test_no_untyped_json_is_answered() -> None:
    """Indicator values were JSON; GeoJSON stays one value, under its own documented scalar."""
    json_fields = [
        f"{type_.name}.{name}"
        for type_ in _objects()
        for name, field in type_.fields.items()
        if get_named_type(field.type).name == "JSON" and field.deprecation_reason is None
    ]
    assert json_fields == []
    geojson = SCHEMA.type_map["GeoJSON"]
    assert isinstance(geojson, GraphQLScalarType) and geojson.specified_by_url
    assert get_named_type(SCHEMA.query_type.fields["incidentPoints"].type).name == "GeoJSON"  # type: ignore[union-attr]


async def test_indicator_values_come_in_their_typed_fields(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    token = accounts["operator-31.74"].token
    year, quarter = fresh_period()
    values = [
        {"code": "demonstrations", "number": 3},
        {"code": "nphd_signed", "boolean": True},
        {"code": "conflict_potential", "text": "sedang"},
        {"code": "logistics_delivered_on", "date": "2026-03-01"},
    ]
    report = await create_report(client_for, token, "31.74", year, quarter, {"values": values})
    query = """query($id: ID!) { node(id: $id) { ... on Report { values {
      code valueType boolean number text date } } } }"""
    found = {
        v["code"]: v for v in (await gql_as(client_for, token, query, {"id": report["id"]}))["node"]["values"]
    }
    assert found["demonstrations"] == {
        "code": "demonstrations",
        "valueType": "NUMBER",
        "boolean": None,
        "number": 3.0,
        "text": None,
        "date": None,
    }
    assert (found["nphd_signed"]["valueType"], found["nphd_signed"]["boolean"]) == ("YES_NO", True)
    assert (found["conflict_potential"]["valueType"], found["conflict_potential"]["text"]) == (
        "CHOICE",
        "sedang",
    )
    assert (found["logistics_delivered_on"]["valueType"], found["logistics_delivered_on"]["date"]) == (
        "DATE",
        "2026-03-01",
    )
