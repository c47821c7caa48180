"""Shared by the saved-search tests: users of their own, records indexed at once, GraphQL calls, the check."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

from hub.access.models import User
from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.notifications.models import Notification
from hub.reports.models import Report
from hub.searches.checks import CheckOutcome, SavedSearchRunner, check_saved_searches
from hub.searches.models import SavedSearch
from hub.settings import Settings
from search.indexer import bulk_index
from search.kinds import REPORT_KIND
from tests.conftest import TEST_PASSWORD
from tests.graphql import Client, gql_as, raw_id
from tests.search_corpus import quarterly
from workers.saved_searches import IndexSearchRunner

CREATE = """mutation($input: SavedSearchCreateInput!) { savedSearchCreate(input: $input) {
  created clientMutationId errors { field code message }
  savedSearch { id name query orderBy notify version newSince newCount
    filter { region kinds reportTypes periodFrom periodTo dateFrom dateTo reportStatuses caseStatuses
             incidentCategories caseCategories documentCategories severities } } } }"""
RESULTS = """query($id: ID!, $newOnly: Boolean! = false, $first: Int = 20) { node(id: $id) {
  ... on SavedSearch { newCount results(first: $first, newOnly: $newOnly) {
    totalCount nodes { kind node { ... on Report { id } ... on Case { id } ... on Document { id } } } }
  } } }"""


async def new_user(settings: Settings, role: Role, region: str) -> tuple[User, str]:
    """A user of this test alone (its role may change), and its access token."""
    username = f"ss-{uuid.uuid4().hex[:10]}"
    user = await create_user(username=username, password=TEST_PASSWORD, role=role, region_code=region)
    tokens = await login(settings, username, TEST_PASSWORD)
    return user, tokens.access_token


async def report(clients: Clients, region: str, marker: str, words: str = "") -> Report:
    """A quarterly report carrying `marker`, indexed and searchable on return."""
    # MongoDB keeps milliseconds: step past the millisecond of anything stamped just before (a saved search's
    # window start), so "created after" is never a tie.
    await asyncio.sleep(0.003)
    made = await quarterly(
        region, 2026, 2, f"Laporan {marker}", f"Situasi politik kondusif {words} {marker}".strip()
    )
    outcome = await bulk_index(
        clients.es,
        REPORT_KIND,
        [made],
        target=REPORT_KIND.alias(clients.settings.es_index_prefix),
        refresh=True,
    )
    assert not outcome.failed, outcome
    return made


def runner(clients: Clients, **options: Any) -> IndexSearchRunner:
    """The worker's runner, without the settle delay: tests create and index records before they check."""
    return IndexSearchRunner(
        clients.es,
        clients.settings.es_index_prefix,
        settle=options.pop("settle", timedelta(0)),
        pending_horizon=options.pop("pending_horizon", timedelta(0)),
    )


async def check(
    clients: Clients, now: datetime | None = None, using: SavedSearchRunner | None = None
) -> CheckOutcome:
    return await check_saved_searches(using or runner(clients), now or utcnow())


async def notifications_of(saved_search_id: str) -> list[Notification]:
    return await Notification.find({"target_id": saved_search_id}).sort("created_at").to_list()


async def stored(saved_search_id: str) -> SavedSearch:
    found = await SavedSearch.get(saved_search_id)
    assert found is not None
    return found


async def save(client_for: Client, token: str, name: str, **fields: Any) -> dict[str, Any]:
    """savedSearchCreate; returns its payload."""
    result = await gql_as(client_for, token, CREATE, {"input": {"name": name, **fields}})
    payload: dict[str, Any] = result["savedSearchCreate"]
    return payload


async def result_ids(client_for: Client, token: str, saved_id: str, **variables: Any) -> set[str]:
    node = (await gql_as(client_for, token, RESULTS, {"id": saved_id, **variables}))["node"]
    return {raw_id(hit["node"]["id"]) for hit in node["results"]["nodes"]}
