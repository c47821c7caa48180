"""Live subscriptions over graphql-transport-ws, end to end: WebSocket clients connect to a second API process
while the changes go through this process's app (or the worker), so each event crosses Redis pub/sub."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.cases.models import Case, CaseCategory
from hub.clients import Clients
from hub.core.clock import storable_time, utcnow
from hub.events.live import LiveRelay, SubscriberOverflow
from hub.events.models import Event, EventKind
from hub.regions.services import get_region
from hub.reports.models import RiskLevel
from hub.settings import Settings
from tests.case_factories import create_case
from tests.conftest import Account
from tests.graphql import Client, global_id, gql_field_as, region_id
from tests.live_helpers import (
    CASES,
    INCIDENTS,
    STATUSES,
    by_operation,
    file_incident,
    fresh,
    live_client,
    report_ids,
    subscribers_reach,
)
from tests.reports_helpers import COMPLETE_VALUES, NARRATIVES, STEP, content, create_report
from tests.test_reports import fresh_period
from workers.celery_app import create_celery


@pytest.fixture(scope="module")
def server(api_server: str) -> str:
    """The second API process the WebSocket clients connect to."""
    return api_server


@pytest.fixture
async def live(server: str) -> str:
    return await fresh(server)


async def test_each_client_receives_exactly_the_incidents_in_its_scope(
    live: str, client_for: Client, accounts: dict[str, Account]
) -> None:
    jakarta, aceh, reviewer = (accounts[n] for n in ("operator-31.74", "operator-11.01", "reviewer"))
    async with (
        live_client(live, jakarta.token) as jakarta_client,
        live_client(live, aceh.token) as aceh_client,
        live_client(live, reviewer.token) as reviewer_client,
    ):
        for client in (jakarta_client, aceh_client, reviewer_client):
            await client.subscribe("incidents", INCIDENTS)
        await reviewer_client.subscribe("aceh-only", INCIDENTS, {"region": "11"})
        await subscribers_reach(live, 4)
        # Filed through this process's app, in both regions, twice: each client reads up to its second one,
        # so an event leaking from the other region would have arrived before it.
        filed = [
            await file_incident(client_for, account, region)
            for account, region in ((jakarta, "31.74"), (aceh, "11.01"), (jakarta, "31.74"), (aceh, "11.01"))
        ]
        jakarta_events = await jakarta_client.events_until(filed[2])
        aceh_events = await aceh_client.events_until(filed[3])
        assert report_ids(jakarta_events, "incidentCreated") == [filed[0], filed[2]]
        assert report_ids(aceh_events, "incidentCreated") == [filed[1], filed[3]]

        everything: list[dict[str, Any]] = []
        aceh_only: list[dict[str, Any]] = []
        while len(everything) < 4 or len(aceh_only) < 2:
            message = await reviewer_client.receive()
            assert message["type"] == "next" and "errors" not in message["payload"], message
            (everything if message["id"] == "incidents" else aceh_only).append(message["payload"]["data"])
        assert report_ids(everything, "incidentCreated") == filed
        assert report_ids(aceh_only, "incidentCreated") == [filed[1], filed[3]]

    first = jakarta_events[0]["incidentCreated"]
    assert first["__typename"] == "IncidentCreatedEvent"
    assert (first["kind"], first["regionCode"], first["region"], first["severity"]) == (
        "INCIDENT_CREATED",
        "31.74",
        {"code": "31.74"},
        "HIGH",
    )
    assert first["report"]["status"] == "SUBMITTED"
    assert first["title"] == first["report"]["title"]


async def test_report_status_changes_and_case_updates_arrive_in_scope(
    live: str, client_for: Client, accounts: dict[str, Account]
) -> None:
    coordinator, aceh = accounts["coordinator-31"], accounts["operator-11.01"]
    async with (
        live_client(live, coordinator.token) as jakarta_client,
        live_client(live, aceh.token) as aceh_client,
    ):
        for client in (jakarta_client, aceh_client):
            await client.subscribe("statuses", STATUSES)
            await client.subscribe("cases", CASES)
        await subscribers_reach(live, 4)

        year, quarter = fresh_period()
        drafts = {}
        for account, region in ((accounts["operator-31.74"], "31.74"), (aceh, "11.01")):
            draft = await create_report(
                client_for, account.token, region, year, quarter, content(COMPLETE_VALUES, NARRATIVES)
            )
            await gql_field_as(
                client_for, account.token, STEP["reportSubmit"], {"id": draft["id"], "input": None}
            )
            drafts[region] = draft["id"]
        jakarta_case = await create_case(client_for, accounts["operator-31.74"].token)
        aceh_case = await create_case(client_for, aceh.token, region=region_id("11.01"))

        jakarta_events = await by_operation(jakarta_client, {"statuses": 1, "cases": 1})
        aceh_events = await by_operation(aceh_client, {"statuses": 1, "cases": 1})

    status = jakarta_events["statuses"][0]["reportStatusChanged"]
    assert status["report"] == {"id": drafts["31.74"], "status": "SUBMITTED"}
    assert (status["kind"], status["from"], status["to"], status["regionCode"]) == (
        "REPORT_STATUS_CHANGED",
        "DRAFT",
        "SUBMITTED",
        "31.74",
    )
    assert status["period"] == f"{year}-Q{quarter}"
    assert aceh_events["statuses"][0]["reportStatusChanged"]["report"]["id"] == drafts["11.01"]
    case = jakarta_events["cases"][0]["caseUpdated"]
    assert (case["change"], case["status"], case["case"]["id"]) == ("CREATED", "OPEN", jakarta_case["id"])
    assert aceh_events["cases"][0]["caseUpdated"]["case"]["id"] == aceh_case["id"]


async def test_the_cap_refuses_the_extra_subscription_and_the_others_continue(
    live: str, client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"]
    async with live_client(live, operator.token) as client:
        for number in range(1, 5):  # the server allows 3 (live_helpers.SERVER_ENV)
            await client.subscribe(str(number), INCIDENTS)
        refusal = await client.receive()
        assert refusal["type"] == "error" and refusal["id"] == "4", refusal
        assert refusal["payload"][0]["message"] == "Subscription limit reached"
        await subscribers_reach(live, 3)
        report_id = await file_incident(client_for, operator, "31.74")
        delivered = await by_operation(client, {"1": 1, "2": 1, "3": 1})
    assert {name: report_ids(events, "incidentCreated") for name, events in delivered.items()} == {
        "1": [report_id],
        "2": [report_id],
        "3": [report_id],
    }


async def test_an_unknown_region_is_refused_before_the_subscription_starts(
    live: str, accounts: dict[str, Account]
) -> None:
    async with live_client(live, accounts["reviewer"].token) as client:
        await client.subscribe("nowhere", INCIDENTS, {"region": "99.99"})
        refusal = await client.receive()
    assert refusal["type"] == "error" and refusal["id"] == "nowhere", refusal
    assert refusal["payload"][0]["message"] == "no region has the code '99.99'"


async def test_case_escalations_from_the_worker_arrive(
    live: str, seeded: Clients, settings: Settings, worker: Path, accounts: dict[str, Account]
) -> None:
    region = await get_region("31.71")
    assert region is not None
    case = Case(
        region_code="31.71",
        region_path=region.subtree_codes,
        title="Gudang logistik belum tersedia",
        description="",
        category=CaseCategory.LOGISTICS,
        severity=RiskLevel.HIGH,
        due_at=storable_time(utcnow() - timedelta(hours=2)),
        opened_by="user:operator-31.74",
        needs_index=False,
    )
    await case.insert()
    case_id = global_id("Case", case.id)
    async with live_client(live, accounts["leader-31"].token) as client:
        await client.subscribe("cases", CASES)
        await subscribers_reach(live, 1)
        celery = create_celery(settings)
        await asyncio.to_thread(celery.send_task, "pantau.escalate_cases", queue=settings.celery_queue)
        events = await client.events_until(case_id, timeout=60)
    escalated = events[-1]["caseUpdated"]
    assert (escalated["change"], escalated["regionCode"], escalated["case"]["id"]) == (
        "ESCALATED",
        "31.71",
        case_id,
    )


async def test_a_subscriber_that_falls_behind_is_cut_off(clients: Clients, settings: Settings) -> None:
    channel = f"{settings.es_index_prefix}:overflow-test"
    relay = LiveRelay(clients.redis, channel, queue_size=2)
    await relay.start()
    try:
        assert relay.ready.is_set()
        slow = relay.subscribe(lambda message: True)
        keeping_up = relay.subscribe(lambda message: message.region_code == "31")
        for number in range(3):
            event = Event(
                kind=EventKind.CASE_UPDATED,
                target_type="Case",
                target_id=str(number),
                region_code="31",
                region_path=["ID", "31"],
                actor="user:test",
            )
            await clients.redis.publish(channel, json.dumps(event.public()))
            async with asyncio.timeout(10):
                assert (await keeping_up.next()).target_id == str(number)
        async with asyncio.timeout(10):
            with pytest.raises(SubscriberOverflow, match="more than 2 waiting"):
                await slow.next()
    finally:
        await relay.stop()
