"""Partner webhooks against a real HTTP server: events in a grant's scope are delivered once, signed (checked
here with hmac, independently of the hub), retried with backoff on 5xx and network errors, not on 4xx, with
every attempt logged; redelivery; replays send nothing twice; revoked and expired grants get nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from beanie import PydanticObjectId
from starlette.applications import Starlette

from hub.access.grants import revoke_grant
from hub.access.models import PartnerGrant
from hub.app import create_app
from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.events.bus import emit
from hub.events.models import Event, EventKind
from hub.regions.services import get_region
from hub.settings import Settings
from hub.webhooks.delivery import DeliveryPolicy, attempt_due
from hub.webhooks.models import DeliveryStatus, WebhookDelivery
from hub.webhooks.outbox import drain_events
from hub.webhooks.run import deliver_webhooks
from tests.conftest import Account
from tests.graphql import Client, gql_field, post_as, raw_id
from tests.hook_server import HookServer, Received
from tests.processes import running_worker
from tests.reports_helpers import INCIDENT
from tests.test_incidents import incident
from workers.celery_app import create_celery

CREATE_GRANT = """mutation($input: PartnerGrantCreateInput!) { partnerGrantCreate(input: $input) {
  grant { id } token errors { code } } }"""
SET_HOOK = """mutation($id: ID!, $url: String!) { partnerGrantWebhookSet(id: $id, input: {url: $url}) {
  secret grant { id webhook { url setBy { username } } } errors { field code message } } }"""
CLEAR_HOOK = """mutation($id: ID!) { partnerGrantWebhookClear(id: $id) {
  grant { webhook { url } } errors { code } } }"""
REDELIVER = """mutation($id: ID!) { webhookRedeliver(id: $id) { errors { code message }
  delivery { id status attempts { statusCode manual error } grant { agency } } } }"""
DELIVERIES = """query($grant: ID, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(grant: $grant, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id eventId eventKind status attemptCount body grant { agency }
      attempts { statusCode error durationMs manual at url } } } }"""


@pytest.fixture(scope="module")
async def loopback_app(settings: Settings, seeded: Clients) -> AsyncIterator[Starlette]:
    """The app with webhooks to loopback allowed, as development and tests run it."""
    allowing = settings.model_copy(update={"webhooks_allow_private": True})
    app = create_app(allowing, shared_clients=dataclasses.replace(seeded, settings=allowing))
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def admin(loopback_app: Starlette, accounts: dict[str, Account]) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {accounts['admin'].token}"}
    transport = httpx.ASGITransport(app=loopback_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://pantau.test", headers=headers
    ) as client:
        yield client


@pytest.fixture
def policy(settings: Settings) -> DeliveryPolicy:
    return dataclasses.replace(
        DeliveryPolicy.from_settings(settings),
        allow_private=True,
        timeout=5.0,
        max_attempts=3,
        retry_base=0.3,
        retry_max=1.0,
    )


@pytest.fixture
def server() -> Iterator[HookServer]:
    with HookServer() as running:
        yield running


@pytest.fixture
async def made_grants() -> AsyncIterator[list[str]]:
    """Grants a test made: revoked afterwards, so that later tests' events never reach its server."""
    made: list[str] = []
    yield made
    for grant_id in made:
        await revoke_grant(grant_id)


async def hooked_grant(
    admin: httpx.AsyncClient,
    made: list[str],
    url: str,
    *,
    regions: list[str],
    fields: list[str],
    report_types: list[str] | None = None,
) -> tuple[str, str]:
    """A grant with a webhook: its global id and the signing secret."""
    given: dict[str, Any] = {
        "agency": f"Bawaslu {uuid.uuid4().hex[:6]}",
        "regionCodes": regions,
        "fields": fields,
        "expiresAt": (utcnow() + timedelta(days=30)).isoformat(),
    }
    if report_types is not None:
        given["reportTypes"] = report_types
    created = await gql_field(admin, CREATE_GRANT, {"input": given})
    grant_id = created["grant"]["id"]
    made.append(raw_id(grant_id))
    hooked = await gql_field(admin, SET_HOOK, {"id": grant_id, "url": url})
    assert hooked["errors"] == [] and hooked["secret"].startswith("whsec_")
    assert hooked["grant"]["webhook"] == {"url": url, "setBy": {"username": "admin"}}
    return grant_id, hooked["secret"]


def verified(secret: str, received: Received) -> dict[str, Any]:
    """The body, once its signature checks out exactly as a partner would check it."""
    timestamp = received.headers["x-pantau-timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(received.headers["x-pantau-signature"], f"sha256={expected}")
    assert abs(int(timestamp) - utcnow().timestamp()) < 120
    body: dict[str, Any] = json.loads(received.body)
    return body


async def case_event(region: str, **data: Any) -> Event:
    found = await get_region(region)
    assert found is not None
    return await emit(
        EventKind.CASE_UPDATED,
        target_type="Case",
        target_id=str(PydanticObjectId()),
        region_code=region,
        region_path=found.subtree_codes,
        actor="user:operator-test",
        data={"change": "created", "title": "Logistik terlambat", "severity": "high", **data},
    )


async def deliveries_of(grant_global_id: str) -> list[WebhookDelivery]:
    grant_id = PydanticObjectId(raw_id(grant_global_id))
    return await WebhookDelivery.find({"grant_id": grant_id}).sort("created_at", "_id").to_list()


async def test_an_incident_in_scope_is_delivered_once_and_signed(
    admin: httpx.AsyncClient,
    client_for: Client,
    accounts: dict[str, Account],
    made_grants: list[str],
    server: HookServer,
    policy: DeliveryPolicy,
) -> None:
    grant_id, secret = await hooked_grant(
        admin, made_grants, server.url, regions=["31"], fields=["Report.title", "Report.status"]
    )
    async with client_for(accounts["operator-31.74"].token) as operator:
        inside = await operator.post(
            "/graphql", json={"query": INCIDENT, "variables": {"input": incident("31.74")}}
        )
    async with client_for(accounts["operator-11.01"].token) as elsewhere:
        outside = await elsewhere.post(
            "/graphql", json={"query": INCIDENT, "variables": {"input": incident("11.01")}}
        )
    report_id = inside.json()["data"]["incidentCreate"]["report"]["id"]
    assert outside.json()["data"]["incidentCreate"]["errors"] == []

    counts = await deliver_webhooks(utcnow(), policy)
    assert counts["deliveries"] >= 1 and counts["delivered"] >= 1
    (received,) = server.received()
    body = verified(secret, received)
    assert received.path == "/hooks/pantau" and received.headers["x-pantau-event"] == "incident.created"
    assert received.headers["content-type"] == "application/json"
    (delivery,) = await deliveries_of(grant_id)
    assert received.headers["x-pantau-delivery"] == str(delivery.id)
    assert body["kind"] == "incident.created" and body["regionCode"] == "31.74"
    assert body["nodeId"] == report_id and body["targetId"] == raw_id(report_id)
    assert body["reportType"] == "incident" and body["regionPath"][-2:] == ["31", "31.74"]
    # Only what the grant reads: the title, not the incident's category or severity; never the actor.
    assert set(body["data"]) == {"title"} and "actor" not in body
    assert delivery.status is DeliveryStatus.SUCCEEDED and delivery.attempt_count == 1
    (attempt,) = delivery.attempts
    assert (attempt.status_code, attempt.error, attempt.manual) == (200, None, False)
    assert attempt.url == server.url and attempt.response_excerpt == "status 200"
    assert isinstance(attempt.duration_ms, int)  # recorded (its value is the network's, not asserted)

    await deliver_webhooks(utcnow(), policy)  # a second run: nothing new, nothing sent again
    assert len(server.received()) == 1 and len(await deliveries_of(grant_id)) == 1


async def test_a_replayed_or_concurrent_drain_sends_nothing_twice(
    admin: httpx.AsyncClient, made_grants: list[str], server: HookServer, policy: DeliveryPolicy
) -> None:
    grant_id, secret = await hooked_grant(
        admin, made_grants, server.url, regions=["32"], fields=["Case.title"]
    )
    event = await case_event("32.01")
    await asyncio.gather(*(deliver_webhooks(utcnow(), policy) for _ in range(3)))
    # As if a run had died after making the deliveries and before marking the event done.
    await Event.get_pymongo_collection().update_one({"_id": event.id}, {"$set": {"webhooks_done": False}})
    assert (await drain_events(utcnow())).deliveries == 0
    await deliver_webhooks(utcnow(), policy)
    (received,) = server.received()
    assert verified(secret, received)["data"] == {"title": "Logistik terlambat"}
    assert len(await deliveries_of(grant_id)) == 1


async def test_a_failing_endpoint_is_retried_with_backoff_and_each_attempt_logged(
    admin: httpx.AsyncClient, made_grants: list[str], policy: DeliveryPolicy
) -> None:
    with HookServer(statuses=[500, 503]) as server:
        grant_id, secret = await hooked_grant(
            admin, made_grants, server.url, regions=["33"], fields=["Case.title"]
        )
        await case_event("33.01")
        await deliver_webhooks(utcnow(), policy)
        waits = []  # as scheduled after each failed attempt
        for attempt in (1, 2):
            (pending,) = await deliveries_of(grant_id)
            assert (pending.status, pending.attempt_count) == (DeliveryStatus.PENDING, attempt)
            assert pending.next_attempt_at is not None
            waits.append((pending.next_attempt_at - pending.attempts[-1].at).total_seconds())
            assert (await attempt_due(utcnow(), policy)).delivered == 0  # not due yet: nothing sent
            assert len(server.received()) == attempt
            await asyncio.sleep(max(0.0, (pending.next_attempt_at - utcnow()).total_seconds()) + 0.05)
            await attempt_due(utcnow(), policy)
            assert len(server.received()) == attempt + 1
        received = server.received()
    base = policy.retry_base
    assert base - 0.002 <= waits[0] <= base * 1.1 + 0.002  # then doubled, each with up to 10 % jitter
    assert 2 * base - 0.002 <= waits[1] <= 2 * base * 1.1 + 0.002
    (done,) = await deliveries_of(grant_id)
    assert done.status is DeliveryStatus.SUCCEEDED and done.delivered_at is not None
    assert [attempt.status_code for attempt in done.attempts] == [500, 503, 200]
    assert [attempt.response_excerpt for attempt in done.attempts] == [
        "status 500",
        "status 503",
        "status 200",
    ]
    assert all(
        isinstance(attempt.duration_ms, int) and attempt.url == server.url for attempt in done.attempts
    )
    assert len({r.headers["x-pantau-delivery"] for r in received}) == 1
    assert len({r.body for r in received}) == 1
    for each in received:
        verified(secret, each)


async def test_a_refusing_endpoint_is_not_retried_and_attempts_are_bounded(
    admin: httpx.AsyncClient, made_grants: list[str], policy: DeliveryPolicy
) -> None:
    with HookServer(statuses=[400]) as refusing:
        grant_id, _ = await hooked_grant(
            admin, made_grants, refusing.url, regions=["34"], fields=["Case.title"]
        )
        await case_event("34.01")
        await deliver_webhooks(utcnow(), policy)
        await asyncio.sleep(policy.retry_max)
        await deliver_webhooks(utcnow(), policy)
        assert len(refusing.received()) == 1
    (refused,) = await deliveries_of(grant_id)
    assert (refused.status, refused.attempt_count, refused.next_attempt_at) == (
        DeliveryStatus.FAILED,
        1,
        None,
    )
    assert refused.attempts[0].status_code == 400

    closed = HookServer()  # never started: its port refuses connections
    unreachable, _ = await hooked_grant(admin, made_grants, closed.url, regions=["35"], fields=["Case.title"])
    closed._http.server_close()
    await case_event("35.01")
    await deliver_webhooks(utcnow(), policy)
    for _ in range(policy.max_attempts):
        pending = (await deliveries_of(unreachable))[0]
        if pending.next_attempt_at is None:
            break
        await asyncio.sleep(max(0.0, (pending.next_attempt_at - utcnow()).total_seconds()) + 0.05)
        await attempt_due(utcnow(), policy)
    (gave_up,) = await deliveries_of(unreachable)
    assert (gave_up.status, gave_up.attempt_count) == (DeliveryStatus.FAILED, policy.max_attempts)
    assert all(a.status_code is None and a.error and "Connect" in a.error for a in gave_up.attempts)


async def test_redelivery_sends_the_same_delivery_signed_anew(
    admin: httpx.AsyncClient,
    client_for: Client,
    accounts: dict[str, Account],
    made_grants: list[str],
    server: HookServer,
    policy: DeliveryPolicy,
) -> None:
    grant_id, secret = await hooked_grant(
        admin, made_grants, server.url, regions=["36"], fields=["Case.title"]
    )
    await case_event("36.01")
    await deliver_webhooks(utcnow(), policy)
    (delivery,) = await deliveries_of(grant_id)
    listed = await gql_field(admin, DELIVERIES, {"grant": grant_id})
    assert listed["totalCount"] == 1
    (node,) = listed["nodes"]
    delivery_id = node["id"]
    assert raw_id(delivery_id) == str(delivery.id) and node["status"] == "SUCCEEDED"
    assert (
        node["grant"]["agency"].startswith("Bawaslu") and json.loads(node["body"])["kind"] == "case.updated"
    )

    again = await gql_field(admin, REDELIVER, {"id": delivery_id})
    assert again["errors"] == [] and again["delivery"]["status"] == "SUCCEEDED"
    assert [(a["statusCode"], a["manual"]) for a in again["delivery"]["attempts"]] == [
        (200, False),
        (200, True),
    ]
    first, second = server.received()
    assert first.body == second.body
    assert first.headers["x-pantau-delivery"] == second.headers["x-pantau-delivery"] == str(delivery.id)
    verified(secret, second)
    audit = await AuditEntry.find_one(
        {"action": "webhook.redeliver", "target": f"WebhookDelivery:{delivery.id}"}
    )
    assert audit is not None and audit.actor == "user:admin"

    refused = await post_as(client_for, accounts["coordinator-31"].token, REDELIVER, {"id": delivery_id})
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    await revoke_grant(raw_id(grant_id))
    gone = await gql_field(admin, REDELIVER, {"id": delivery_id})
    assert [e["code"] for e in gone["errors"]] == ["GRANT_INACTIVE"] and len(server.received()) == 2


async def test_revoked_expired_cleared_and_out_of_scope_grants_get_nothing(
    admin: httpx.AsyncClient, made_grants: list[str], server: HookServer, policy: DeliveryPolicy
) -> None:
    revoked, _ = await hooked_grant(admin, made_grants, server.url, regions=["51"], fields=["Case.title"])
    expired, _ = await hooked_grant(admin, made_grants, server.url, regions=["51"], fields=["Case.title"])
    cleared, _ = await hooked_grant(admin, made_grants, server.url, regions=["51"], fields=["Case.title"])
    no_cases, _ = await hooked_grant(admin, made_grants, server.url, regions=["51"], fields=["Report.title"])
    quarterly_only, _ = await hooked_grant(
        admin, made_grants, server.url, regions=["51"], fields=["Report.title"], report_types=["QUARTERLY"]
    )
    await revoke_grant(raw_id(revoked))
    await PartnerGrant.get_pymongo_collection().update_one(
        {"_id": PydanticObjectId(raw_id(expired))}, {"$set": {"expires_at": utcnow() - timedelta(seconds=1)}}
    )
    assert (await gql_field(admin, CLEAR_HOOK, {"id": cleared}))["grant"]["webhook"] is None
    found = await get_region("51.71")
    assert found is not None
    await case_event("51.71")  # a case: the report-only grants do not read cases
    await emit(
        EventKind.INCIDENT_CREATED,
        target_type="Report",
        target_id=str(PydanticObjectId()),
        region_code="51.71",
        region_path=found.subtree_codes,
        report_type="incident",
        actor="user:operator-test",
        data={"title": "Unjuk rasa"},
    )
    await deliver_webhooks(utcnow(), policy)
    (received,) = server.received()  # the incident, to the grant that reads reports of every type
    (delivery,) = await deliveries_of(no_cases)
    assert (
        received.headers["x-pantau-delivery"] == str(delivery.id)
        and delivery.event_kind == "incident.created"
    )
    for grant in (revoked, expired, cleared, quarterly_only):
        assert await deliveries_of(grant) == []


async def _bodies(grant_global_id: str) -> list[dict[str, Any]]:
    return [json.loads(delivery.body) for delivery in await deliveries_of(grant_global_id)]


async def test_early_warnings_reach_only_grants_that_read_incident_reports(
    admin: httpx.AsyncClient, made_grants: list[str], server: HookServer, policy: DeliveryPolicy
) -> None:
    """An early warning counts a region's incidents: a grant must read incident reports (their type, and the
    `Report.incident` field) to be told of it."""
    quarterly_only, _ = await hooked_grant(
        admin,
        made_grants,
        server.url,
        regions=["71"],
        fields=["Report.title", "Report.incident"],
        report_types=["QUARTERLY"],
    )
    no_incident_field, _ = await hooked_grant(
        admin, made_grants, server.url, regions=["71"], fields=["Report.title", "Report.status"]
    )
    reads_incidents, _ = await hooked_grant(
        admin, made_grants, server.url, regions=["71"], fields=["Report.incident"], report_types=["INCIDENT"]
    )
    found = await get_region("71.71")
    assert found is not None
    await emit(
        EventKind.EARLY_WARNING,
        target_type="Region",
        target_id="71.71",
        region_code="71.71",
        region_path=found.subtree_codes,
        actor="system:early-warning",
        data={
            "warningKey": "71.71|2026-01-01/7d",
            "recentCount": 9,
            "baselineMean": 1.5,
            "baselineSd": 0.5,
            "baselineWindows": 12,
            "score": 4.2,
            "windowStart": "2026-01-01T00:00:00+00:00",
            "windowEnd": "2026-01-08T00:00:00+00:00",
        },
    )
    await deliver_webhooks(utcnow(), policy)
    assert await deliveries_of(quarterly_only) == [] and await deliveries_of(no_incident_field) == []
    (body,) = await _bodies(reads_incidents)
    assert (body["kind"], body["regionCode"]) == ("early_warning.raised", "71.71")
    assert body["data"] == {
        "recentCount": 9,
        "baselineMean": 1.5,
        "baselineSd": 0.5,
        "baselineWindows": 12,
        "score": 4.2,
    }
    assert len(server.received()) == 1


async def test_the_kind_of_a_case_change_is_sent_only_to_grants_that_read_case_status(
    admin: httpx.AsyncClient, made_grants: list[str], server: HookServer, policy: DeliveryPolicy
) -> None:
    without, _ = await hooked_grant(admin, made_grants, server.url, regions=["72"], fields=["Case.title"])
    with_status, _ = await hooked_grant(
        admin, made_grants, server.url, regions=["72"], fields=["Case.title", "Case.status"]
    )
    await case_event("72.71", change="resolved", status="resolved")
    await deliver_webhooks(utcnow(), policy)
    (told,) = await _bodies(without)
    assert told["data"] == {"title": "Logistik terlambat"}
    (full,) = await _bodies(with_status)
    assert full["data"] == {"title": "Logistik terlambat", "change": "resolved", "status": "resolved"}


async def test_webhook_urls_are_checked_and_the_secret_is_never_shown_again(
    http: httpx.AsyncClient, admin: httpx.AsyncClient, made_grants: list[str], policy: DeliveryPolicy
) -> None:
    """`http` is the app with the production default: no private or loopback addresses."""
    created = await gql_field(
        http,
        CREATE_GRANT,
        {
            "input": {
                "agency": "DKPP",
                "regionCodes": ["31"],
                "fields": ["Case.title"],
                "expiresAt": (utcnow() + timedelta(days=3)).isoformat(),
            }
        },
    )
    grant_id = created["grant"]["id"]
    made_grants.append(raw_id(grant_id))
    cases = {
        "http://127.0.0.1:8080/hook": "URL_NOT_ALLOWED",
        "http://localhost/hook": "URL_NOT_ALLOWED",
        "https://[::1]/hook": "URL_NOT_ALLOWED",
        "https://10.20.30.40/hook": "URL_NOT_ALLOWED",
        "http://169.254.169.254/latest/meta-data": "URL_NOT_ALLOWED",
        "ftp://partner.example/hook": "INVALID_URL",
        "https://user:pw@partner.example/hook": "INVALID_URL",
        "https://partner.example/ho ok": "INVALID_URL",
    }
    for url, code in cases.items():
        result = await gql_field(http, SET_HOOK, {"id": grant_id, "url": url})
        assert [(e["field"], e["code"]) for e in result["errors"]] == [("url", code)], url
        assert result["secret"] is None
    assert (await PartnerGrant.get(PydanticObjectId(raw_id(grant_id)))).webhook is None  # type: ignore[union-attr]

    with HookServer() as server:
        hooked = await gql_field(admin, SET_HOOK, {"id": grant_id, "url": server.url})
        secret = hooked["secret"]
        stored = await PartnerGrant.get_pymongo_collection().find_one(
            {"_id": PydanticObjectId(raw_id(grant_id))}
        )
        assert stored is not None and secret not in json.dumps(stored, default=str)
        listed = await http.post(
            "/graphql",
            json={"query": "{ partnerGrants { nodes { id webhook { url setAt setBy { username } } } } }"},
        )
        assert secret not in listed.text and server.url in listed.text
        # Set while loopback was allowed, attempted where it is not: refused before anything is sent.
        await case_event("31.71")
        await deliver_webhooks(utcnow(), dataclasses.replace(policy, allow_private=False))
        assert server.received() == []
    (delivery,) = await deliveries_of(grant_id)
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.attempts[0].error is not None and "not a public address" in delivery.attempts[0].error
    entries = await AuditEntry.find({"target": f"PartnerGrant:{raw_id(grant_id)}"}).to_list()
    assert "partner_grant.webhook_set" in {entry.action for entry in entries}


async def test_the_delivery_log_pages_and_filters(
    admin: httpx.AsyncClient, made_grants: list[str], server: HookServer, policy: DeliveryPolicy
) -> None:
    grant_id, _ = await hooked_grant(admin, made_grants, server.url, regions=["52"], fields=["Case.title"])
    for _ in range(3):
        await case_event("52.01")
    await deliver_webhooks(utcnow(), policy)
    page = await gql_field(admin, DELIVERIES, {"grant": grant_id, "first": 2})
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    rest = await gql_field(
        admin, DELIVERIES, {"grant": grant_id, "first": 2, "after": page["pageInfo"]["endCursor"]}
    )
    ids = [node["id"] for node in page["nodes"] + rest["nodes"]]
    assert len(set(ids)) == 3 and rest["pageInfo"]["hasNextPage"] is False
    failed = await gql_field(admin, DELIVERIES, {"grant": grant_id, "status": "FAILED"})
    assert failed["totalCount"] == 0
    node = await gql_field(admin, "query($id: ID!) { node(id: $id) { id } }", {"id": ids[0]})
    assert node == {"id": ids[0]}


@pytest.fixture
def loopback_worker(settings: Settings, clients: Clients, tmp_path: Path) -> Iterator[Settings]:
    """A real Celery worker of its own, with loopback webhooks allowed, on a queue of its own."""
    allowing = settings.model_copy(
        update={"webhooks_allow_private": True, "celery_queue": f"{settings.celery_queue}-webhooks"}
    )
    with running_worker(allowing, tmp_path / "worker.log"):
        yield allowing


async def test_the_worker_task_delivers(
    loopback_worker: Settings, admin: httpx.AsyncClient, made_grants: list[str], server: HookServer
) -> None:
    grant_id, secret = await hooked_grant(
        admin, made_grants, server.url, regions=["53"], fields=["Case.title"]
    )
    await case_event("53.01")
    celery = create_celery(loopback_worker)
    await asyncio.to_thread(celery.send_task, "pantau.deliver_webhooks", queue=loopback_worker.celery_queue)
    (received,) = await server.wait_for(1, seconds=30)
    assert verified(secret, received)["kind"] == "case.updated"
    for _ in range(50):  # the worker records the attempt just after the answer
        (delivery,) = await deliveries_of(grant_id)
        if delivery.status is DeliveryStatus.SUCCEEDED:
            break
        await asyncio.sleep(0.1)
    assert delivery.status is DeliveryStatus.SUCCEEDED


def test_the_scheduler_drains_the_outbox_often(settings: Settings) -> None:
    entry = create_celery(settings).conf.beat_schedule["deliver-webhooks"]
    assert entry["task"] == "pantau.deliver_webhooks"
    assert entry["schedule"] == settings.webhook_interval_seconds == 10
    assert entry["options"]["queue"] == settings.celery_queue
