"""Notifications for workflow events, walked as their users do through the GraphQL API: an operator submits,
the province coordinator is told (in the list and over `notificationAdded`, from the worker's fan-out), a
coordinator of another province, the central reviewer and a partner are not; a return tells the author and
the region's operators; read, unread count, mark all read; texts in Indonesian, English on request; e-mail
to who chose it, once, however often the task runs; the daily digest; review reminders; cases."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from bson import ObjectId

from hub.access.grants import create_grant
from hub.access.models import User
from hub.access.principal import system_principal
from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.audit.models import AuditEntry
from hub.cases.models import CaseCategory
from hub.cases.services import CaseDraft, open_case
from hub.core.clock import utcnow
from hub.events.models import Event, EventKind
from hub.notifications.fanout import fan_out
from hub.notifications.models import Notification, NotificationKind
from hub.notifications.run import notify_event, send_digests
from hub.notifications.service import NotificationDraft, notify
from hub.reminders.mail import SmtpConfig
from hub.reminders.reviews import remind_reviews
from hub.reports.models import Report, ReportStatus, RiskLevel
from hub.settings import Settings
from tests.conftest import TEST_PASSWORD
from tests.graphql import Client, error_code, global_id, gql_field_as, post_as, raw_id
from tests.live_helpers import fresh, live_client, metric
from tests.reports_helpers import COMPLETE_VALUES, NARRATIVES, RETURN, STEP, content, create_report
from tests.test_reminders import Inbox, smtp  # noqa: F401 (the SMTP server fixture)
from tests.test_reports import fresh_period

POLLS = 150  # bounded polls of 0.1 s for the worker's fan-out: no clock is read
NOTIFICATIONS = """query($unread: Boolean) { notifications(first: 100, unreadOnly: $unread) {
  unreadCount totalCount nodes { id kind title body read targetId } } }"""
ADDED = "subscription { notificationAdded { id kind title targetId read } }"
MARK_READ = "mutation($id: ID!) { notificationMarkRead(id: $id) { notification { read } errors { code } } }"
MARK_ALL = "mutation { notificationMarkAllRead { markedCount errors { code } } }"
PREFER = """mutation($email: EmailDelivery!) { notificationPreferencesSet(input: {email: $email}) {
  preferences { email hasEmailAddress } errors { code } } }"""
QUEUE = """query { reports(first: 100, filter: {waitingForMyReview: true}) { nodes { id } } }"""
EMAIL = """mutation($id: ID!, $email: String) { userEmailSet(id: $id, input: {email: $email}) {
  errors { code } } }"""


@dataclass(frozen=True)
class Person:
    user: User
    token: str

    @property
    def id(self) -> str:
        return str(self.user.id)


async def person(settings: Settings, role: Role, region: str) -> Person:
    name = f"nt-{role.value[:4]}-{uuid.uuid4().hex[:8]}"
    user = await create_user(username=name, password=TEST_PASSWORD, role=role, region_code=region)
    return Person(user, (await login(settings, name, TEST_PASSWORD)).access_token)


async def notices(client_for: Client, who: Person, target: str, language: str = "id") -> list[dict[str, Any]]:
    """`who`'s notifications about `target` (a global id), through the API, in Indonesian unless asked."""
    async with client_for(who.token) as client:
        headers = {"Accept-Language": language}
        response = await client.post("/graphql", json={"query": NOTIFICATIONS}, headers=headers)
    body = response.json()
    assert "errors" not in body, body
    return [node for node in body["data"]["notifications"]["nodes"] if node["targetId"] == target]


async def arrived(client_for: Client, who: Person, target: str, kind: str) -> dict[str, Any]:
    """Waits (a bounded number of polls) for the worker to have notified `who` of `target`."""
    for _ in range(POLLS):
        found = [node for node in await notices(client_for, who, target) if node["kind"] == kind]
        if found:
            assert len(found) == 1, found
            return found[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"{who.user.username} was not notified of {kind} on {target}")


async def event_of(report_id: str, to: str) -> Event:
    found = await Event.find_one(
        {"kind": EventKind.REPORT_STATUS_CHANGED.value, "target_id": raw_id(report_id), "data.to": to}
    )
    assert found is not None
    return found


async def submitted_report(client_for: Client, author: Person, region: str) -> str:
    year, quarter = fresh_period()
    draft = await create_report(
        client_for, author.token, region, year, quarter, content(COMPLETE_VALUES, NARRATIVES)
    )
    result = await gql_field_as(
        client_for, author.token, STEP["reportSubmit"], {"id": draft["id"], "input": None}
    )
    assert result["errors"] == [], result
    report_id: str = draft["id"]
    return report_id


async def notification_subscribers_reach(base: str, count: int) -> None:
    seen = None
    for _ in range(POLLS):
        if (seen := await asyncio.to_thread(metric, base, "pantau_notification_subscribers")) == count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the server holds {seen} notification subscriptions, not {count}")


@pytest.fixture(scope="module")
def server(api_server: str) -> str:
    """A second API process: `notificationAdded` crosses Redis from the worker to it."""
    return api_server


async def test_submit_and_return_notify_the_people_concerned_and_only_them(
    settings: Settings, client_for: Client, worker: Any, server: str
) -> None:
    author = await person(settings, Role.OPERATOR, "31.74")
    colleague = await person(settings, Role.OPERATOR, "31.74")
    neighbour = await person(settings, Role.OPERATOR, "31.71")
    coordinator = await person(settings, Role.COORDINATOR, "31")
    elsewhere = await person(settings, Role.COORDINATOR, "11")
    central = await person(settings, Role.REVIEWER, "ID")
    partner = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=["Report.title"],
        expires_at=utcnow() + timedelta(days=1),
    )
    live = await fresh(server)
    async with live_client(live, coordinator.token) as subscribed:
        await subscribed.subscribe("added", ADDED)
        await notification_subscribers_reach(live, 1)
        report_id = await submitted_report(client_for, author, "31.74")

        told = await arrived(client_for, coordinator, report_id, "REPORT_SUBMITTED")
        message = await subscribed.receive()
        assert message["type"] == "next", message
        delivered = message["payload"]["data"]["notificationAdded"]
        assert delivered["id"] == told["id"] and delivered["targetId"] == report_id and not delivered["read"]
    title = (await Report.get(raw_id(report_id))).title  # type: ignore[union-attr]
    assert told["title"] == f"Laporan menunggu tinjauan Anda: {title}"
    assert "Jakarta Selatan (31.74)" in told["body"] and author.user.username in told["body"]
    [english] = await notices(client_for, coordinator, report_id, language="en-GB,en;q=0.9")
    assert english["title"] == f"Report waiting for your review: {title}"

    # Nobody else: not a coordinator of another province, not the centre (regencies are the province's),
    # not the author, not a partner (who has no notifications at all).
    for outsider in (elsewhere, central, author, colleague, neighbour):
        assert await notices(client_for, outsider, report_id) == []
    body = await post_as(client_for, partner.token, NOTIFICATIONS)
    assert error_code(body) in {"PERMISSION_DENIED", "FIELD_NOT_GRANTED"}

    # The coordinator's review queue holds it; another province's coordinator's does not.
    queue = await gql_field_as(client_for, coordinator.token, QUEUE)
    assert report_id in [node["id"] for node in queue["nodes"]]
    assert report_id not in [
        node["id"] for node in (await gql_field_as(client_for, elsewhere.token, QUEUE))["nodes"]
    ]

    returned = await gql_field_as(
        client_for,
        coordinator.token,
        RETURN,
        {"id": report_id, "input": {"reasons": [{"target": "introduction", "message": "Lengkapi."}]}},
    )
    assert returned["errors"] == [], returned
    for concerned in (author, colleague):
        notice = await arrived(client_for, concerned, report_id, "REPORT_RETURNED")
        assert notice["title"] == f"Laporan dikembalikan: {title}"
    assert report_id not in [
        node["id"] for node in (await gql_field_as(client_for, coordinator.token, QUEUE))["nodes"]
    ]
    for outsider in (neighbour, elsewhere):
        assert await notices(client_for, outsider, report_id) == []
    assert [node["kind"] for node in await notices(client_for, coordinator, report_id)] == [
        "REPORT_SUBMITTED"
    ]

    # Read, unread count, mark all read: the author's own.
    before = (await gql_field_as(client_for, author.token, NOTIFICATIONS))["unreadCount"]
    [notice] = await notices(client_for, author, report_id)
    marked = await gql_field_as(client_for, author.token, MARK_READ, {"id": notice["id"]})
    assert marked == {"notification": {"read": True}, "errors": []}
    assert (await gql_field_as(client_for, author.token, NOTIFICATIONS))["unreadCount"] == before - 1
    # Another user cannot mark it.
    refused = await gql_field_as(client_for, colleague.token, MARK_READ, {"id": notice["id"]})
    assert refused["errors"] == [{"code": "NOTIFICATION_NOT_FOUND"}]
    await gql_field_as(client_for, colleague.token, MARK_ALL)
    unread = await gql_field_as(client_for, colleague.token, NOTIFICATIONS, {"unread": True})
    assert unread["unreadCount"] == 0 and unread["nodes"] == []


async def test_email_goes_once_to_who_chose_it_however_often_the_task_runs(
    settings: Settings,
    client_for: Client,
    smtp: tuple[Inbox, SmtpConfig],  # noqa: F811
) -> None:
    inbox, config = smtp
    author = await person(settings, Role.OPERATOR, "35.78")
    wants = await person(settings, Role.COORDINATOR, "35")
    declines = await person(settings, Role.COORDINATOR, "35")
    digest = await person(settings, Role.COORDINATOR, "35")
    for who, choice in ((wants, "IMMEDIATE"), (declines, "OFF"), (digest, "DAILY_DIGEST")):
        address = f"{who.user.username}@kesbang.test"
        assert (await gql_field_as(client_for, who.token, EMAIL, {"id": _user_gid(who), "email": address}))[
            "errors"
        ] == []
        chosen = await gql_field_as(client_for, who.token, PREFER, {"email": choice})
        assert chosen == {"preferences": {"email": choice, "hasEmailAddress": True}, "errors": []}

    recorded = await AuditEntry.find(
        {"action": "user.email_delivery_set", "target": f"User:{wants.id}"}
    ).to_list()
    assert [entry.change for entry in recorded] == [{"email_delivery": "immediate"}]

    report_id = await submitted_report(client_for, author, "35.78")
    event = await event_of(report_id, "submitted")
    first = await notify_event(str(event.id), None, config)
    again = await notify_event(str(event.id), None, config)  # a retried task
    assert again.notified == 0 and again.emailed == 0
    assert first.emailed >= 1
    [mail] = inbox.to(f"{wants.user.username}@kesbang.test")
    # In PANTAU_EMAIL_LANGUAGE: English in this fixture (test_i18n reads the Indonesian).
    assert str(mail["Subject"]).strip().startswith("[Pantau] Report waiting for your review:")
    assert inbox.to(f"{declines.user.username}@kesbang.test") == []
    assert inbox.to(f"{digest.user.username}@kesbang.test") == []
    for who in (wants, declines, digest):  # each told once in the app, whichever ran first
        assert await Notification.find({"user_id": who.user.id, "target_id": raw_id(report_id)}).count() == 1

    assert await send_digests(utcnow(), config) >= 1
    assert await send_digests(utcnow(), config) == 0  # one a day
    [summary] = inbox.to(f"{digest.user.username}@kesbang.test")
    assert str(summary["Subject"]).strip() == "[Pantau] 1 notifications of the day"


def _user_gid(who: Person) -> str:
    return global_id("User", who.user.id)


async def test_reviews_waiting_and_returned_reports_are_reminded_once(
    settings: Settings, client_for: Client
) -> None:
    author = await person(settings, Role.OPERATOR, "36.71")
    coordinator = await person(settings, Role.COORDINATOR, "36")
    report_id = await submitted_report(client_for, author, "36.71")
    later = utcnow() + timedelta(days=4)
    assert await remind_reviews(later, timedelta(days=3), "36.71") == 1
    assert await remind_reviews(later, timedelta(days=3), "36.71") == 0
    kinds = [node["kind"] for node in await notices(client_for, coordinator, report_id)]
    assert "REVIEW_WAITING" in kinds and "REVIEW_WAITING" not in [
        node["kind"] for node in await notices(client_for, author, report_id)
    ]
    reminded = await Notification.find_one({"user_id": coordinator.user.id, "kind": "review_waiting"})
    assert reminded is not None and reminded.target_id == raw_id(report_id)

    await Report.get_pymongo_collection().update_one(
        {"_id": ObjectId(raw_id(report_id))}, {"$set": {"status": ReportStatus.RETURNED.value}}
    )
    assert await remind_reviews(later, timedelta(days=3), "36.71") == 1
    returned = await Notification.find_one({"user_id": author.user.id, "kind": "returned_waiting"})
    assert returned is not None and returned.title.startswith("Laporan dikembalikan belum diajukan ulang")


async def test_a_case_opened_tells_its_coordinators_above_and_not_its_region(settings: Settings) -> None:
    operator = await person(settings, Role.OPERATOR, "33.74")
    coordinator = await person(settings, Role.COORDINATOR, "33")
    opened = await open_case(
        system_principal("tests"),
        CaseDraft(
            title=f"Kendala {uuid.uuid4().hex[:6]}",
            category=CaseCategory.LOGISTICS,
            severity=RiskLevel.HIGH,
            due_at=utcnow() + timedelta(days=3),
            region_code="33.74",
        ),
    )
    event = await Event.find_one({"target_id": str(opened.case.id), "data.change": "created"})
    assert event is not None
    await fan_out(str(event.id))
    await fan_out(str(event.id))
    told = await Notification.find({"target_id": str(opened.case.id)}).to_list()
    assert [
        (notice.user_id, notice.kind)
        for notice in told
        if notice.user_id in {operator.user.id, coordinator.user.id}
    ] == [(coordinator.user.id, NotificationKind.CASE_OPENED)]


async def test_partners_cannot_subscribe_to_notifications(server: str) -> None:
    partner = await create_grant(
        actor="user:admin",
        agency="Bawaslu",
        region_roots=["31"],
        fields=["Report.title"],
        expires_at=utcnow() + timedelta(days=1),
    )
    async with live_client(await fresh(server), partner.token) as client:
        await client.subscribe("added", ADDED)
        message = await client.receive()
    assert message["type"] == "error" and message["id"] == "added", message
    assert message["payload"][0]["extensions"]["code"] in {"PERMISSION_DENIED", "FIELD_NOT_GRANTED"}


async def test_a_notification_about_a_record_now_out_of_scope_is_not_shown(
    settings: Settings, client_for: Client
) -> None:
    """An account moved to another region no longer reads what it was told about the old one."""
    moved = await person(settings, Role.OPERATOR, "11.01")
    assert moved.user.id is not None
    for key, path in (("old", ("ID", "31", "31.74")), ("new", ("ID", "11", "11.01")), ("none", ())):
        await notify(
            NotificationDraft(
                user_id=moved.user.id,
                kind=NotificationKind.REPORT_VERIFIED,
                title="-",
                body="-",
                key=f"moved:{moved.id}:{key}",
                params={"title": key},
                region_path=path,
            )
        )
    listed = await gql_field_as(client_for, moved.token, NOTIFICATIONS)
    assert sorted(node["title"] for node in listed["nodes"]) == [  # the test clients ask for English
        "Report verified: new",
        "Report verified: none",
    ]
    assert listed["unreadCount"] == 2
    hidden = await Notification.find_one({"key": f"moved:{moved.id}:old"})
    assert hidden is not None
    refused = await gql_field_as(
        client_for, moved.token, MARK_READ, {"id": global_id("Notification", hidden.id)}
    )
    assert refused["errors"] == [{"code": "NOTIFICATION_NOT_FOUND"}]
