"""Who may subscribe: a token in `connection_init`, checked again while the connection stays open; partner
grants limited to their regions, report types and fields; rate limits answered per operation."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from graphql import parse

from hub.access.grants import create_grant
from hub.access.models import PartnerRead
from hub.access.roles import Role
from hub.access.sessions import login, logout
from hub.access.users import create_user
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.settings import Settings
from schema.cost import operation_cost
from schema.schema import build_schema
from tests.case_factories import create_case
from tests.conftest import TEST_PASSWORD, Account
from tests.graphql import Client, gql_field_as, post_as
from tests.live_helpers import (
    INCIDENTS,
    api_process,
    by_operation,
    file_incident,
    fresh,
    live_client,
    subscribers_reach,
)
from tests.reports_helpers import COMPLETE_VALUES, NARRATIVES, STEP, content, create_report
from tests.test_reports import fresh_period


@pytest.fixture(scope="module")
def server(api_server: str) -> str:
    """The second API process the WebSocket clients connect to."""
    return api_server


@pytest.fixture
async def live(server: str) -> str:
    return await fresh(server)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"token": "not-a-token"},
        {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.invalid"},
        {"Authorization": "Basic b3BlcmF0b3I6cmFoYXNpYQ=="},
        {"token": "pg_000000000000000000000000.secret"},
    ],
)
async def test_a_connection_without_a_valid_token_is_closed(live: str, payload: dict[str, Any]) -> None:
    async with live_client(live) as client:
        await client.send({"type": "connection_init", "payload": payload})
        assert await client.closed() == (4403, "Forbidden")


async def test_subscribing_before_connection_init_is_refused(live: str) -> None:
    async with live_client(live) as client:
        await client.subscribe("early", INCIDENTS)
        assert await client.closed() == (4401, "Unauthorized")


async def test_a_revoked_session_closes_the_connection(
    live: str, settings: Settings, accounts: dict[str, Account]
) -> None:
    tokens = await login(settings, accounts["operator-31.74"].username, TEST_PASSWORD)
    async with live_client(live, tokens.access_token) as client:
        await client.subscribe("incidents", INCIDENTS)
        await subscribers_reach(live, 1)
        await logout(tokens.refresh_token)
        code, reason = await client.closed()  # checked every second (live_helpers.SERVER_ENV)
    assert (code, reason) == (4403, "INVALID_TOKEN: the session has ended; log in again")
    await subscribers_reach(live, 0)


async def test_an_expiring_access_token_closes_the_connection(
    live: str, settings: Settings, accounts: dict[str, Account]
) -> None:
    # Long enough for the login, the connection and its init on a loaded machine (a 3-second token expired
    # before `connection_init` reached the server there); the server re-checks every second.
    short = settings.model_copy(update={"access_token_ttl_seconds": 10})
    tokens = await login(short, accounts["operator-11.01"].username, TEST_PASSWORD)
    async with live_client(live, tokens.access_token) as client:
        await client.subscribe("incidents", INCIDENTS)
        code, reason = await client.closed(timeout=30)
    assert (code, reason) == (4403, "TOKEN_EXPIRED: the access token has expired; refresh it")


PARTNER_GRANTED = """subscription { incidentCreated { eventId regionCode title report { id title } } }"""
PARTNER_REFUSED = {
    "severity": "subscription { incidentCreated { severity } }",
    "narratives": "subscription { incidentCreated { report { narratives { text } } } }",
}


async def test_partners_get_granted_fields_of_events_in_their_grant_and_each_read_is_logged(
    live: str, client_for: Client, accounts: dict[str, Account]
) -> None:
    created = await create_grant(
        actor="user:admin",
        agency=f"Bawaslu {uuid.uuid4().hex[:6]}",
        region_roots=["31"],
        fields=["Report.title", "Report.status"],
        report_types=["incident"],
        expires_at=utcnow() + timedelta(days=1),
    )
    async with live_client(live, created.token) as client:
        for name, query in PARTNER_REFUSED.items():
            await client.subscribe(name, query)
            refusal = await client.receive()
            assert refusal["type"] == "error" and refusal["id"] == name, refusal
            assert refusal["payload"][0]["extensions"]["code"] == "FIELD_NOT_GRANTED"
        await client.subscribe("incidents", PARTNER_GRANTED)
        await client.subscribe("statuses", "subscription { reportStatusChanged { to report { id } } }")
        await subscribers_reach(live, 2)

        year, quarter = fresh_period()
        operator = accounts["operator-31.74"]
        draft = await create_report(
            client_for, operator.token, "31.74", year, quarter, content(COMPLETE_VALUES, NARRATIVES)
        )
        await gql_field_as(
            client_for, operator.token, STEP["reportSubmit"], {"id": draft["id"], "input": None}
        )
        await file_incident(client_for, accounts["operator-11.01"], "11.01")
        report_id = await file_incident(client_for, operator, "31.74")
        received = await by_operation(client, {"incidents": 1, "statuses": 0})

    event = received["incidents"][0]["incidentCreated"]
    assert event["report"]["id"] == report_id
    assert event["title"] == event["report"]["title"]
    assert refusal["payload"][0]["message"].endswith("Report.narratives")
    reads = await PartnerRead.find({"grant_id": created.grant.id}).to_list()
    assert [read.object_ids for read in reads] == [[report_id]]


CASE_CHANGES = "subscription { caseUpdated { change title case { id } } }"


async def test_the_kind_of_a_case_change_needs_the_case_status_field(
    live: str, client_for: Client, accounts: dict[str, Account]
) -> None:
    """`change` tells a case's status transitions (`resolved`, `escalated`): a grant without `Case.status`
    may not read it, as it may not read `status`."""
    grants = {}
    for name, fields in (("without", ["Case.title"]), ("with", ["Case.title", "Case.status"])):
        grants[name] = await create_grant(
            actor="user:admin",
            agency=f"Bawaslu {uuid.uuid4().hex[:6]}",
            region_roots=["31"],
            fields=fields,
            expires_at=utcnow() + timedelta(days=1),
        )
    async with live_client(live, grants["without"].token) as client:
        await client.subscribe("changes", CASE_CHANGES)
        refusal = await client.receive()
    assert refusal["type"] == "error" and refusal["id"] == "changes", refusal
    assert refusal["payload"][0]["extensions"]["code"] == "FIELD_NOT_GRANTED"
    assert refusal["payload"][0]["message"].endswith("CaseUpdatedEvent.change (Case.status)")

    async with live_client(live, grants["with"].token) as client:
        await client.subscribe("changes", CASE_CHANGES)
        await subscribers_reach(live, 1)
        case = await create_case(client_for, accounts["operator-31.74"].token)
        received = await by_operation(client, {"changes": 1})
    event = received["changes"][0]["caseUpdated"]
    assert (event["change"], event["case"]["id"]) == ("CREATED", case["id"])


async def test_a_rate_limited_operation_gets_an_error_and_the_others_run(
    settings: Settings, seeded: Clients, tmp_path: Path
) -> None:
    username = f"live-rate-{uuid.uuid4().hex[:8]}"  # a budget of its own
    await create_user(username=username, password=TEST_PASSWORD, role=Role.LEADER, region_code="31")
    token = (await login(settings, username, TEST_PASSWORD)).access_token
    # A long window, so that no window ends in the middle of the test.
    price = operation_cost(build_schema(production=False)._schema, parse(INCIDENTS), None, {"region": None})
    limits = {
        "PANTAU_COST_BUDGET_PER_WINDOW": str(2 * price),  # two subscriptions
        "PANTAU_MAX_QUERY_COST": str(price),
        "PANTAU_COST_WINDOW_SECONDS": "3600",
    }
    with api_process(settings, tmp_path / "server.log", limits) as base:
        async with live_client(base, token) as client:
            for number in range(3):
                await client.subscribe(str(number), INCIDENTS)
            refusal = await client.receive()
            assert refusal["type"] == "error", refusal
            assert refusal["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
            await subscribers_reach(base, 2)


async def test_a_subscription_over_http_is_refused_with_a_pointer_to_the_websocket(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    [error] = (await post_as(client_for, accounts["reviewer"].token, INCIDENTS))["errors"]
    assert error["extensions"]["code"] == "SUBSCRIPTION_NEEDS_WEBSOCKET"
    assert "graphql-transport-ws" in error["message"]
