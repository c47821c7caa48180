"""Saved searches through GraphQL: per user, re-run with the viewer's scope of the moment, new results since
the last look, refused to partners and to other users, changed and deleted with an audit entry each.
(Validation and the per-user cap: test_saved_search_validation.py; the periodic check and notifications:
test_saved_search_checks.py.)"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from typing import Any

import pytest

from hub.access.grants import create_grant
from hub.access.roles import Role
from hub.access.users import change_role
from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.searches.filters import read_filter as saved_filters
from hub.searches.models import SavedSearch
from hub.settings import Settings
from schema.schema import build_schema
from schema.search.filters import plain_filter as stored_filter
from schema.search.filters import to_filters
from schema.search.types import SearchFilter
from schema.searches.filters import filter_input
from tests.conftest import Account
from tests.graphql import Client, global_id, gql_as, post_as, raw_id
from tests.saved_search_helpers import new_user, report, result_ids, save, stored
from tests.search_corpus import ensure_search_indices, new_marker

FULL_FILTER: dict[str, Any] = {
    "region": "31",
    "kinds": ["REPORT", "INCIDENT", "CASE"],
    "reportTypes": ["QUARTERLY", "INCIDENT"],
    "periodFrom": "2025-Q4",
    "periodTo": "2026-Q4",
    "dateFrom": "2025-10-01T00:00:00+00:00",
    "dateTo": "2026-12-31T00:00:00+00:00",
    "reportStatuses": ["SUBMITTED", "VERIFIED"],
    "caseStatuses": ["OPEN"],
    "incidentCategories": ["DEMONSTRATION"],
    "caseCategories": ["NPHD"],
    "documentCategories": ["DECREE"],
    "severities": ["HIGH", "LOW"],
}
LIST = """query($first: Int, $after: String) { savedSearches(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id name newCount } } }"""
UPDATE = """mutation($id: ID!, $input: SavedSearchUpdateInput!) { savedSearchUpdate(id: $id, input: $input) {
  errors { field code } savedSearch { id name query notify version orderBy filter { region kinds } } } }"""
DELETE = "mutation($id: ID!) { savedSearchDelete(id: $id) { deletedId errors { code } } }"
VIEWED = """mutation($id: ID!) { savedSearchMarkViewed(id: $id) {
  errors { code } savedSearch { lastViewedAt newSince newCount } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on SavedSearch { name } } }"
SEARCH = """query($q: String!, $filter: SearchFilter, $order: SearchOrder) {
  search(query: $q, filter: $filter, orderBy: $order, first: 20) {
    totalCount nodes { node { ... on Report { id } } } } }"""
RESULTS = """query($id: ID!) { node(id: $id) { ... on SavedSearch {
  results(first: 20) { totalCount nodes { node { ... on Report { id } } } } } } }"""


@pytest.fixture(autouse=True)
async def indices(seeded: Clients) -> None:
    await ensure_search_indices(seeded)


def test_a_saved_filter_reads_exactly_as_the_search_field_reads_it() -> None:
    schema = build_schema(production=False)._schema
    given_fields = set(schema.type_map["SearchFilter"].fields)  # type: ignore[attr-defined]
    assert set(schema.type_map["SavedSearchFilter"].fields) == given_fields  # type: ignore[attr-defined]
    stored_values = {
        "region": "31",
        "kinds": ["report", "case"],
        "report_types": ["quarterly"],
        "period_from": "2025-Q4",
        "date_to": utcnow(),
        "report_statuses": ["submitted"],
        "case_statuses": ["open"],
        "incident_categories": ["demonstration"],
        "case_categories": ["nphd"],
        "document_categories": ["decree"],
        "severities": ["high"],
    }
    given = filter_input(stored_values)
    assert {name for name, value in vars(given).items() if value is not None} == {
        field.name for field in dataclasses.fields(SearchFilter)
    } - {"period_to", "date_from"}
    assert stored_filter(given) == stored_values
    # The worker reads a stored filter as the `search` field reads its input.
    assert saved_filters(stored_values) == to_filters(given)


async def test_create_list_and_read_back(settings: Settings, client_for: Client) -> None:
    _, token = await new_user(settings, Role.OPERATOR, "31.74")
    created = await save(
        client_for,
        token,
        "  NPHD   Jakarta ",
        query="nphd",
        filter=FULL_FILTER,
        orderBy="NEWEST",
        clientMutationId="c-1",
    )
    assert created["errors"] == [] and created["created"] is True
    saved = created["savedSearch"]
    assert (saved["name"], saved["query"], saved["orderBy"]) == ("NPHD Jakarta", "nphd", "NEWEST")
    assert saved["filter"] == FULL_FILTER and saved["notify"] is False
    again = await save(client_for, token, "other name", clientMutationId="c-1")  # a retry: the first one
    assert again["created"] is False and again["savedSearch"]["id"] == saved["id"]
    for name in ("b second", "a first"):
        assert (await save(client_for, token, name))["errors"] == []
    first = (await gql_as(client_for, token, LIST, {"first": 2}))["savedSearches"]
    assert first["totalCount"] == 3 and [node["name"] for node in first["nodes"]] == ["a first", "b second"]
    rest = await gql_as(client_for, token, LIST, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    assert [node["name"] for node in rest["savedSearches"]["nodes"]] == ["NPHD Jakarta"]
    assert rest["savedSearches"]["pageInfo"]["hasNextPage"] is False


async def test_results_are_the_search_fields_over_the_viewers_scope_now(
    seeded: Clients, settings: Settings, client_for: Client
) -> None:
    user, token = await new_user(settings, Role.COORDINATOR, "31")
    marker = new_marker()
    south = await report(seeded, "31.74", marker, "pemilihan")
    centre = await report(seeded, "31.71", marker, "memilih")
    await report(seeded, "11.01", marker, "pilih")
    given = {"region": "31", "reportTypes": ["QUARTERLY"]}
    saved = await save(
        client_for, token, "Pilih", query=f"pemilihan {marker}", filter=given, orderBy="NEWEST"
    )
    saved_id = saved["savedSearch"]["id"]
    searched = await gql_as(
        client_for, token, SEARCH, {"q": f"pemilihan {marker}", "filter": given, "order": "NEWEST"}
    )
    results = (await gql_as(client_for, token, RESULTS, {"id": saved_id}))["node"]["results"]
    assert results == searched["search"]  # the same hits, in the same order
    assert await result_ids(client_for, token, saved_id) == {str(south.id), str(centre.id)}

    await change_role(str(user.id), Role.OPERATOR, "31.74")  # narrowed: the same token sees less at once
    assert await result_ids(client_for, token, saved_id) == {str(south.id)}
    await change_role(str(user.id), Role.OPERATOR, "11.01")
    assert await result_ids(client_for, token, saved_id) == set()


async def test_new_count_since_the_last_look(seeded: Clients, settings: Settings, client_for: Client) -> None:
    _, token = await new_user(settings, Role.OPERATOR, "31.74")
    marker = new_marker()
    await report(seeded, "31.74", marker)  # before saving: not new
    saved = (await save(client_for, token, "Baru", query=marker))["savedSearch"]
    assert saved["newCount"] == 0 and saved["newSince"] is not None
    await asyncio.sleep(0.01)
    fresh = {str((await report(seeded, "31.74", marker, words)).id) for words in ("satu", "dua")}
    await report(seeded, "31.71", marker)  # new, but not visible to this operator
    listed = (await gql_as(client_for, token, LIST, {}))["savedSearches"]["nodes"]
    assert [node["newCount"] for node in listed] == [2]
    assert await result_ids(client_for, token, saved["id"], newOnly=True) == fresh
    assert len(await result_ids(client_for, token, saved["id"])) == 3
    assert (await stored(raw_id(saved["id"]))).last_viewed_at is None  # reading results changes nothing

    viewed = (await gql_as(client_for, token, VIEWED, {"id": saved["id"]}))["savedSearchMarkViewed"]
    assert viewed["errors"] == [] and viewed["savedSearch"]["newCount"] == 0
    assert viewed["savedSearch"]["newSince"] == viewed["savedSearch"]["lastViewedAt"]
    await asyncio.sleep(0.01)
    await report(seeded, "31.74", marker)
    assert [
        node["newCount"] for node in (await gql_as(client_for, token, LIST, {}))["savedSearches"]["nodes"]
    ] == [1]


async def test_another_user_can_neither_see_nor_change_it(
    accounts: dict[str, Account], settings: Settings, client_for: Client
) -> None:
    _, owner = await new_user(settings, Role.OPERATOR, "31.74")
    saved_id = (await save(client_for, owner, "Milik saya", query="nphd"))["savedSearch"]["id"]
    for other in (accounts["operator-11.01"].token, accounts["admin"].token):
        assert (await gql_as(client_for, other, NODE, {"id": saved_id}))["node"] is None
        listed = (await gql_as(client_for, other, LIST, {"first": 100}))["savedSearches"]["nodes"]
        assert saved_id not in {node["id"] for node in listed}
        for query, variables, field in (
            (UPDATE, {"id": saved_id, "input": {"name": "Dicuri"}}, "savedSearchUpdate"),
            (VIEWED, {"id": saved_id}, "savedSearchMarkViewed"),
            (DELETE, {"id": saved_id}, "savedSearchDelete"),
        ):
            result = (await gql_as(client_for, other, query, variables))[field]
            assert [error["code"] for error in result["errors"]] == ["SAVED_SEARCH_NOT_FOUND"]
    saved = await stored(raw_id(saved_id))
    assert (saved.name, saved.version, saved.last_viewed_at) == ("Milik saya", 1, None)
    assert (await gql_as(client_for, owner, NODE, {"id": saved_id}))["node"]["name"] == "Milik saya"


async def test_partner_tokens_are_refused(accounts: dict[str, Account], client_for: Client) -> None:
    grant = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=["Report.title"],
        expires_at=utcnow() + timedelta(days=1),
    )
    # Listings of record types a grant reads nothing of are refused before they run (the partner guard).
    listed = await post_as(client_for, grant.token, "{ savedSearches { totalCount } }", {})
    assert listed["data"] is None and listed["errors"][0]["extensions"]["code"] == "FIELD_NOT_GRANTED"
    notifications = await post_as(client_for, grant.token, "{ notifications { totalCount } }", {})
    assert notifications["data"] is None
    assert notifications["errors"][0]["extensions"]["code"] == "FIELD_NOT_GRANTED"
    before = await SavedSearch.find_all().count()
    created = await post_as(
        client_for, grant.token, 'mutation { savedSearchCreate(input: {name: "x"}) { errors { code } } }', {}
    )
    assert created["data"] is None and created["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert await SavedSearch.find_all().count() == before


async def test_update(settings: Settings, client_for: Client) -> None:
    _, token = await new_user(settings, Role.OPERATOR, "31.74")
    saved = await save(client_for, token, "Awal", query="nphd", filter={"region": "31", "kinds": ["CASE"]})
    saved_id = saved["savedSearch"]["id"]
    changed = (
        await gql_as(
            client_for,
            token,
            UPDATE,
            {
                "id": saved_id,
                "input": {"name": "Baru", "orderBy": "OLDEST", "filter": {}, "expectedVersion": 1},
            },
        )
    )["savedSearchUpdate"]
    assert changed["errors"] == []
    after = changed["savedSearch"]
    assert (after["name"], after["query"], after["orderBy"], after["version"]) == (
        "Baru",
        "nphd",
        "OLDEST",
        2,
    )
    assert after["filter"] == {"region": None, "kinds": None}
    stale = await gql_as(
        client_for, token, UPDATE, {"id": saved_id, "input": {"query": "x", "expectedVersion": 1}}
    )
    assert [error["code"] for error in stale["savedSearchUpdate"]["errors"]] == ["CONFLICT"]

    checked_before = (await stored(raw_id(saved_id))).last_checked_at
    await asyncio.sleep(0.01)
    on = await gql_as(client_for, token, UPDATE, {"id": saved_id, "input": {"notify": True}})
    assert on["savedSearchUpdate"]["savedSearch"]["notify"] is True
    assert (await stored(raw_id(saved_id))).last_checked_at > checked_before  # only results from now on
    wrong = await gql_as(
        client_for, token, UPDATE, {"id": global_id("Report", raw_id(saved_id)), "input": {"name": "x"}}
    )
    assert wrong["savedSearchUpdate"]["errors"][0]["code"] == "SAVED_SEARCH_NOT_FOUND"


async def test_each_mutation_is_audited(settings: Settings, client_for: Client) -> None:
    user, token = await new_user(settings, Role.OPERATOR, "31.74")
    started = utcnow()
    saved_id = (await save(client_for, token, "Audit", query="nphd"))["savedSearch"]["id"]
    await gql_as(client_for, token, UPDATE, {"id": saved_id, "input": {"query": "netralitas"}})
    await gql_as(client_for, token, VIEWED, {"id": saved_id})
    deleted = (await gql_as(client_for, token, DELETE, {"id": saved_id}))["savedSearchDelete"]
    assert deleted == {"deletedId": saved_id, "errors": []}
    assert await SavedSearch.get(raw_id(saved_id)) is None
    target = f"SavedSearch:{raw_id(saved_id)}"
    entries = await AuditEntry.find({"at": {"$gte": started}, "target": target}).sort("seq").to_list()
    assert [(entry.actor, entry.action) for entry in entries] == [
        (f"user:{user.username}", "saved_search.create"),
        (f"user:{user.username}", "saved_search.update"),
        (f"user:{user.username}", "saved_search.mark_viewed"),
        (f"user:{user.username}", "saved_search.delete"),
    ]
    assert entries[0].change == {
        "name": "Audit",
        "query": "nphd",
        "filter": {},
        "order": "relevance",
        "notify": False,
    }
    assert entries[1].change == {"query": "netralitas"}
