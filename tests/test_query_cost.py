"""Query cost: every operation is priced before it runs (schema/cost.py); one over the per-request limit, or
that the principal's budget over a window cannot pay, is refused with a typed error and nothing runs.

Work done is what is asserted: Elasticsearch searches counted by the search statistics of this session's
indices, MongoDB commands by tests/mongo_commands; never time.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import parse
from starlette.applications import Starlette

from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.app import create_app
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.regions.services import get_region
from hub.reports.models import Period, Report, ReportStatus, ReportType, RiskLevel
from hub.settings import Settings, SettingsError, load_settings
from schema.cost import COST_CEILING, operation_cost
from schema.schema import build_schema
from search.indexer import bulk_index
from search.kinds import REPORT_KIND
from tests.conftest import TEST_PASSWORD, Account
from tests.graphql import Client, app_clients, global_id
from tests.live_helpers import INCIDENTS, api_process, live_client, subscribers_reach
from tests.mongo_commands import COMMANDS
from tests.search_corpus import ensure_search_indices, new_marker
from tests.test_settings import VALID

# The finding: a 70-character query that made 2,014 Elasticsearch queries.
FAN_OUT = "{reports(first:100){nodes{similar(first:20){similar(first:20){id}}}}}"
REGIONS = ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
OURS = '{region: "31", periodFrom: "2085-Q1", periodTo: "2085-Q1"}'
# 1 + 100 hits x (the record, its region, its author, the document field): 401 points; one search of one
# index (every kind would search three).
SEARCH_401 = """{ search(query: "", first: 100, filter: {kinds: [REPORT]}) { nodes {
  node { ... on Report { id region { code } author { username } } } document { id } } } }"""
ASK_COST = {"cost": True}


@pytest.fixture(scope="module")
async def similar_reports(seeded: Clients) -> list[Report]:
    """Six quarterly reports of 2085-Q1 under 31, in the same words: each is similar to the others."""
    await ensure_search_indices(seeded)
    marker = new_marker()
    made = []
    for code in REGIONS:
        region = await get_region(code)
        assert region is not None
        report = Report(
            region_code=code,
            region_path=region.subtree_codes,
            type=ReportType.QUARTERLY,
            template_version=1,
            period=Period(year=2085, quarter=1),
            period_key="2085-Q1",
            title=f"Laporan triwulan pengawasan kampanye {marker}",
            narratives={"political_situation": f"Pengawasan kampanye dan logistik pemilihan {marker}."},
            status=ReportStatus.SUBMITTED,
            risk_level=RiskLevel.LOW,
            author="user:admin",
            due_at=utcnow() + timedelta(days=10),
        )
        await report.insert()
        made.append(report)
    prefix = seeded.settings.es_index_prefix
    outcome = await bulk_index(seeded.es, REPORT_KIND, made, target=REPORT_KIND.alias(prefix), refresh=True)
    assert not outcome.failed, outcome
    return made


async def es_searches(clients: Clients) -> int:
    """Searches the session's indices have run (shard-level; every index here has one shard)."""
    stats = await clients.es.indices.stats(index=f"{clients.settings.es_index_prefix}-*", metric="search")
    return int(stats["_all"]["total"]["search"]["query_total"])


async def send(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, **extra: Any
) -> httpx.Response:
    """The response as it is, whatever its status; `extra`: more request members (`extensions`)."""
    return await http.post("/graphql", json={"query": query, "variables": variables or {}, **extra})


def refusal(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert body["data"] is None, body
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


async def commands_of(http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None) -> int:
    COMMANDS.reset()
    await send(http, query, variables)
    return COMMANDS.total


# ---- the per-request limit ------------------------------------------------------------------------------


async def test_similar_under_similar_is_refused_before_a_single_search(
    http: httpx.AsyncClient, seeded: Clients, similar_reports: list[Report]
) -> None:
    before = await es_searches(seeded)
    response = await send(http, FAN_OUT)
    assert response.status_code == 200
    refused = refusal(response)
    assert refused["code"] == "QUERY_TOO_COSTLY"
    assert refused["limit"] == 1000 < refused["cost"]
    assert await es_searches(seeded) == before


async def test_similar_is_paid_per_item_and_nesting_is_bounded_by_the_cost_alone(
    http: httpx.AsyncClient, seeded: Clients, similar_reports: list[Report]
) -> None:
    before = await es_searches(seeded)
    query = f"{{ reports(first: 6, filter: {OURS}) {{ nodes {{ id similar(first: 3) {{ id }} }} }} }}"
    body = (await send(http, query, extensions=ASK_COST)).json()
    assert "errors" not in body, body
    assert len(body["data"]["reports"]["nodes"]) == 6
    assert await es_searches(seeded) - before == 6, "one more_like_this search per report"
    assert body["extensions"]["cost"]["requested"] == 1 + 6 * (1 + 1 + 3)

    # `similar` under `similar` is no special case: small enough, it runs, one search per report reached.
    nested = """query($id: ID!) {
      node(id: $id) { ... on Report { similar(first: 3) { similar(first: 3) { id } } } } }"""
    report_id = body["data"]["reports"]["nodes"][0]["id"]
    before = await es_searches(seeded)
    nested_body = (await send(http, nested, {"id": report_id})).json()
    assert "errors" not in nested_body, nested_body
    reached = nested_body["data"]["node"]["similar"]
    assert len(reached) == 3
    assert await es_searches(seeded) - before == 1 + len(reached)


DASHBOARD = """dashboard(region: "31") { incidents { total byRegion { region { code } count } }
  cases { open } completeness(periods: ["2085-Q1"]) { total { expected } rows { region { code } } }
  earlyWarnings { region { code } score } }"""
MATRIX = 'completenessMatrix(periods: ["2085-Q1"], first: 600) { totalCount rows { region { code } states } }'
POINTS = "incidentPoints(first: 5000)"


@pytest.mark.parametrize("field", [DASHBOARD, MATRIX, POINTS], ids=["dashboard", "matrix", "points"])
async def test_thirty_aliased_expensive_fields_are_refused_unrun(http: httpx.AsyncClient, field: str) -> None:
    single = (await send(http, f"{{ {field} }}")).json()
    assert "errors" not in single, single
    signed_in = await commands_of(http, "{ __typename }")  # what authenticating the request takes
    aliased = "{ " + " ".join(f"a{number}: {field}" for number in range(30)) + " }"
    COMMANDS.reset()
    response = await send(http, aliased)
    assert refusal(response)["code"] == "QUERY_TOO_COSTLY"
    assert COMMANDS.total == signed_in, COMMANDS.counts


async def test_nodes_takes_at_most_a_hundred_ids(
    http: httpx.AsyncClient, similar_reports: list[Report]
) -> None:
    ids = [f"UmVwb3J0Ont{number:05d}" for number in range(5000)]
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    signed_in = await commands_of(http, "{ __typename }")
    COMMANDS.reset()
    refused = refusal(await send(http, query, {"ids": ids}))
    assert refused == {"code": "LIST_TOO_LONG", "argument": "nodes(ids:)", "count": 5000, "limit": 100}
    assert COMMANDS.total == signed_in, COMMANDS.counts

    # 30 aliases of 100 ids each: within the cap, over the cost.
    aliased = (
        "query($ids: [ID!]!) { " + " ".join(f"a{n}: nodes(ids: $ids) {{ id }}" for n in range(30)) + " }"
    )
    COMMANDS.reset()
    assert refusal(await send(http, aliased, {"ids": ids[:100]}))["code"] == "QUERY_TOO_COSTLY"
    assert COMMANDS.total == signed_in, COMMANDS.counts

    global_ids = [global_id("Report", report.id) for report in similar_reports]
    body = (await send(http, query, {"ids": global_ids * 16 + global_ids[:4]})).json()
    assert "errors" not in body, body
    assert len(body["data"]["nodes"]) == 100


async def test_a_batch_shares_one_request_limit(http: httpx.AsyncClient, seeded: Clients) -> None:
    before = await es_searches(seeded)
    response = await http.post("/graphql", json=[{"query": SEARCH_401}] * 3)
    results = response.json()
    refused = [result["errors"][0]["extensions"] for result in results if "errors" in result]
    assert refused == [{"code": "QUERY_TOO_COSTLY", "cost": 401, "limit": 1000, "batchCost": 1203}]
    assert await es_searches(seeded) - before == 2, "the refused operation searched nothing"


# ---- the budget over a window ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def budgeted(settings: Settings, seeded: Clients) -> AsyncIterator[Starlette]:
    # 1000 points an hour: no window ends in the middle of a test.
    limited = settings.model_copy(
        update={"max_query_cost": 1000, "cost_budget_per_window": 1000, "cost_window_seconds": 3600}
    )
    app = create_app(limited, shared_clients=seeded)
    async with app.router.lifespan_context(app):
        yield app


async def _fresh_user(settings: Settings) -> str:
    """A user of its own: a budget nobody else has spent."""
    username = f"cost-{uuid.uuid4().hex[:8]}"
    await create_user(username=username, password=TEST_PASSWORD, role=Role.REVIEWER, region_code="ID")
    return (await login(settings, username, TEST_PASSWORD)).access_token


async def test_the_budget_is_spent_by_cost_and_says_when_to_retry(
    budgeted: Starlette, seeded: Clients, settings: Settings
) -> None:
    before = await es_searches(seeded)
    async with app_clients(budgeted)(await _fresh_user(settings)) as http:
        spent = []
        for _ in range(2):
            body = (await send(http, SEARCH_401, extensions=ASK_COST)).json()
            assert "errors" not in body, body
            spent.append(body["extensions"]["cost"]["window"]["remaining"])
        assert spent == [599, 198]
        response = await send(http, SEARCH_401)
        assert response.status_code == 429
        retry_after = int(response.headers["Retry-After"])
        assert 0 < retry_after <= 3600
        refused = refusal(response)
        assert refused == {"code": "RATE_LIMITED", "cost": 401, "limit": 1000, "retryAfter": retry_after}
        assert await es_searches(seeded) - before == 2, "the refused operation searched nothing"

        # What is left still pays for a cheaper operation (the refused attempt itself counted 1).
        cheap = (await send(http, '{ region(code: "31") { code } }', extensions=ASK_COST)).json()
        assert cheap["extensions"]["cost"]["window"]["remaining"] == 198 - 1 - 2

    async with app_clients(budgeted)(await _fresh_user(settings)) as other:
        assert "errors" not in (await send(other, SEARCH_401)).json(), "another principal has its own budget"


async def test_operations_refused_for_themselves_cost_one_point_each(
    budgeted: Starlette, settings: Settings
) -> None:
    async with app_clients(budgeted)(await _fresh_user(settings)) as http:
        for refused in ("{ noSuchField }", "{ reports(", FAN_OUT):
            assert "errors" in (await send(http, refused)).json()
        cheap = (await send(http, '{ region(code: "31") { code } }', extensions=ASK_COST)).json()
    assert cheap["extensions"]["cost"]["window"]["remaining"] == 1000 - 3 - 2


async def test_batched_operations_are_summed_against_the_budget(
    budgeted: Starlette, seeded: Clients, settings: Settings
) -> None:
    before = await es_searches(seeded)
    async with app_clients(budgeted)(await _fresh_user(settings)) as http:
        batch = (await http.post("/graphql", json=[{"query": SEARCH_401}] * 2)).json()
        assert [result.get("errors") for result in batch] == [None, None]
        response = await send(http, SEARCH_401)
    assert response.status_code == 429
    assert refusal(response)["code"] == "RATE_LIMITED"
    assert await es_searches(seeded) - before == 2


async def test_a_subscription_is_priced_when_it_starts(
    settings: Settings, seeded: Clients, accounts: dict[str, Account], tmp_path: Path
) -> None:
    cost = price(INCIDENTS, {"region": None})
    with api_process(settings, tmp_path / "server.log", {"PANTAU_MAX_QUERY_COST": str(cost - 1)}) as base:
        async with live_client(base, accounts["reviewer"].token) as client:
            await client.subscribe("1", INCIDENTS)
            refused = await client.receive()
            await subscribers_reach(base, 0)
    assert refused["type"] == "error", refused
    assert refused["payload"][0]["extensions"] == {
        "code": "QUERY_TOO_COSTLY",
        "cost": cost,
        "limit": cost - 1,
    }


def test_a_budget_that_cannot_pay_one_request_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for key in [key for key in os.environ if key.startswith("PANTAU_")]:
        monkeypatch.delenv(key)
    for key, value in VALID.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PANTAU_COST_BUDGET_PER_WINDOW", "500")
    with pytest.raises(
        SettingsError, match=r"BUDGET_PER_WINDOW \(500\) must be 0 or at least PANTAU_MAX_QUERY"
    ):
        load_settings(tmp_path / "none.env")
    monkeypatch.setenv("PANTAU_COST_BUDGET_PER_WINDOW", "0")
    assert load_settings(tmp_path / "none.env").cost_budget_per_window == 0


# ---- what frontends send ---------------------------------------------------------------------------------


FRONTEND_QUERIES = {
    "report list": """{ reports(first: 20) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id title status period { key } region { code name } author { username }
      caseCount overdue } } } }""",
    "report page": f"""{{ reports(first: 1, filter: {OURS}) {{ nodes {{ id title narratives {{ section text }}
      region {{ name ancestors {{ name }} }} author {{ username }} reviewer {{ username }}
      reviews {{ action at }} similar(first: 5) {{ id title region {{ name }} }} }} }} }}""",
    "dashboard": f"{{ {DASHBOARD} }}",
    "search page": """{ search(query: "kampanye", first: 10) { totalCount facets { kind { key count } }
      edges { node { score highlights node { ... on Report { id title region { name } }
      ... on Case { id title } ... on Document { id fileName } } } } } }""",
    "national matrix": f"{{ {MATRIX} }}",
    "region picker": '{ region(code: "31") { name children { code name } } regions(level: PROVINCE) { nodes '
    "{ code name } } }",
}


@pytest.mark.parametrize("query", FRONTEND_QUERIES.values(), ids=FRONTEND_QUERIES.keys())
async def test_what_frontends_send_is_allowed(
    client_for: Client, accounts: dict[str, Account], similar_reports: list[Report], query: str
) -> None:
    async with client_for(accounts["reviewer"].token) as http:
        body = (await send(http, query, extensions=ASK_COST)).json()
    assert "errors" not in body, body
    assert body["extensions"]["cost"]["requested"] <= body["extensions"]["cost"]["limit"] == 1000


async def test_the_price_is_given_only_when_asked(http: httpx.AsyncClient) -> None:
    assert (await send(http, "{ __typename }")).json() == {"data": {"__typename": "Query"}}


# ---- pricing rules ---------------------------------------------------------------------------------------

SCHEMA = build_schema(production=False)._schema


def price(query: str, variables: dict[str, Any] | None = None) -> int:
    return operation_cost(SCHEMA, parse(query), None, variables)


def test_first_comes_from_the_argument_a_variable_or_the_default_and_counts_at_most_the_cap() -> None:
    listing = "query($n: Int) { reports(first: $n) { nodes { id } } }"
    assert price(listing, {"n": 100}) == 1 + 100
    assert price(listing) == 1 + 20
    assert price("query($n: Int = 50) { reports(first: $n) { edges { node { id } } } }") == 1 + 50
    assert (
        price("{ reports(first: 5000) { totalCount nodes { id } } }") == 1 + 100
    )  # the resolver refuses 5000
    assert price("{ reports { totalCount pageInfo { hasNextPage } } }") == 1


def test_aliases_fragments_and_nested_lists_are_counted() -> None:
    query = """{ a: reports(first: 10) { ...Page } b: reports(first: 10) { ...Page } }
      fragment Page on ReportConnection { nodes { id region { code } similar(first: 4) { id } } }"""
    assert price(query) == 2 * (1 + 10 * (1 + 1 + (1 + 4)))
    # Each level multiplies: the finding's query, and one more level.
    assert price(FAN_OUT) == 1 + 100 * (1 + 1 + 20 * (1 + 1 + 20))
    third = "{reports(first:100){nodes{similar(first:20){similar(first:20){similar(first:20){id}}}}}}"
    assert price(third) == 1 + 100 * (1 + 1 + 20 * (1 + 1 + 20 * (1 + 1 + 20)))


def test_records_in_lists_sized_by_the_data_come_in_batches_and_are_not_charged_one_by_one() -> None:
    nested = "{ cases(first: 50) { nodes { followUps { evidence { id region { code } } } } } }"
    assert price(nested) == 1 + 50 * 1
    assert price('{ region(code: "ID") { children { code children { code } } } }') == 1 + 1


def test_a_fragment_bomb_is_priced_in_one_pass() -> None:
    levels = 300
    fragments = [f"fragment F{n} on Query {{ ...F{n - 1} ...F{n - 1} }}" for n in range(1, levels)]
    bomb = " ".join(['{ ...F299 } fragment F0 on Query { region(code: "31") { code } }', *fragments])
    assert price(bomb) == COST_CEILING
    chain = " ".join(
        ['{ ...C999 } fragment C0 on Query { region(code: "31") { code } }']
        + [f"fragment C{n} on Query {{ ...C{n - 1} }}" for n in range(1, 1000)]
    )
    assert price(chain) == 2
