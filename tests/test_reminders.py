"""Reminders of reports and documents due soon or overdue: one in-app notification per responsible user,
thing and stage, and one e-mail through a real SMTP server (aiosmtpd, in the test); nothing for users of
other regions, other roles or inactive accounts; nothing twice, however often the task runs."""

from __future__ import annotations

import asyncio
import itertools
import random
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from beanie import PydanticObjectId

from hub.access.contact import set_email
from hub.access.models import User
from hub.access.principal import system_principal
from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user, deactivate_user
from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.completeness.models import Requirement, RequirementKind
from hub.completeness.services import create_requirement
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory
from hub.i18n import Language
from hub.notifications.models import Notification, NotificationKind
from hub.regions.models import RegionLevel
from hub.regions.services import get_region
from hub.reminders.mail import SmtpConfig, message_id
from hub.reminders.run import ReminderPolicy, send_reminders
from hub.reports.models import Period, Report, ReportStatus, ReportType
from hub.settings import Settings
from tests.conftest import TEST_PASSWORD, Account
from tests.graphql import Client, global_id, gql_as
from workers.celery_app import create_celery

ROOT = "61"  # Kalimantan Barat: these tests' own province
YEARS = itertools.count(random.randint(2040, 2070))  # periods of this test session alone


class Inbox:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=email_policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, SmtpConfig]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = SmtpConfig(
            host="127.0.0.1",
            port=port,
            sender="Pantau Hub <pantau@hub.test>",
            starttls=False,
            timeout=10,
            language=Language.ENGLISH,  # the assertions read English; test_i18n reads the Indonesian
        )
        yield inbox, config
    finally:
        controller.stop()


async def person(role: Role, region: str, *, email: bool = True) -> User:
    user = await create_user(
        username=f"rm-{uuid.uuid4().hex[:10]}", password=TEST_PASSWORD, role=role, region_code=region
    )
    if email:
        user, _ = await set_email(system_principal("tests"), str(user.id), f"{user.username}@Kesbang.test")
    return user


async def notices_of(user: User) -> list[Notification]:
    return await Notification.find({"user_id": user.id}).sort("created_at", "_id").to_list()


async def quarterly_requirement(year: int, quarter: int = 1) -> Requirement:
    return await create_requirement(
        actor="user:admin",
        period_key=f"{year}-Q{quarter}",
        kind=RequirementKind.REPORT,
        report_type=ReportType.QUARTERLY,
        levels=[RegionLevel.REGENCY, RegionLevel.CITY],
        due_at=datetime(year, quarter * 3 + 1, 15, tzinfo=UTC),
        title="Laporan triwulan",
    )


async def quarterly_report(
    region: str, year: int, quarter: int, due_at: datetime, *, submitted: bool
) -> Report:
    found = await get_region(region)
    assert found is not None
    report = Report(
        region_code=region,
        region_path=found.subtree_codes,
        type=ReportType.QUARTERLY,
        template_version=1,
        period=Period(year=year, quarter=quarter),
        period_key=f"{year}-Q{quarter}",
        title=f"Laporan triwulan {found.name}",
        status=ReportStatus.SUBMITTED if submitted else ReportStatus.DRAFT,
        first_submitted_at=due_at - timedelta(days=5) if submitted else None,
        author="user:tests",
        due_at=due_at,
    )
    await report.insert()
    return report


def policy(smtp: SmtpConfig | None = None) -> ReminderPolicy:
    return ReminderPolicy(lead=timedelta(days=3), overdue=timedelta(days=30), smtp=smtp)


async def test_a_due_report_notifies_the_regions_users_once_in_the_app_and_by_email(
    seeded: Clients, smtp: tuple[Inbox, SmtpConfig]
) -> None:
    inbox, config = smtp
    year = next(YEARS)
    requirement = await quarterly_requirement(year)
    operator, coordinator = await person(Role.OPERATOR, "61.71"), await person(Role.COORDINATOR, "61.71")
    no_address = await person(Role.OPERATOR, "61.71", email=False)
    leader = await person(Role.LEADER, "61.71")  # reads, does not deliver
    inactive = await person(Role.OPERATOR, "61.71")
    await deactivate_user(str(inactive.id))
    province = await person(Role.COORDINATOR, "61")  # the province owes no regency report
    delivered = await person(Role.OPERATOR, "61.02")
    await quarterly_report("61.02", year, 1, requirement.due_at, submitted=True)
    elsewhere = await person(Role.OPERATOR, "62.71")  # outside the province looked at

    due_soon = requirement.due_at - timedelta(days=2)
    outcome = await send_reminders(due_soon, policy(config), root=ROOT)
    assert outcome.due == 13 and outcome.mail.emailed == 2  # 14 regencies and cities, one delivered

    for user in (operator, coordinator, no_address):
        (notice,) = await notices_of(user)
        assert notice.kind is NotificationKind.REMINDER
        assert notice.title == f"Due soon: Laporan triwulan ({year}-Q1)"
        assert "Kota Pontianak (61.71)" in notice.body and f"{year}-04-15 00:00 UTC" in notice.body
        assert (notice.target_type, notice.target_id) == ("Requirement", str(requirement.id))
        assert notice.key == f"reminder:due_soon:report:quarterly:{year}-Q1:61.71:{user.id}"
        assert (notice.emailed_at is not None) == (user.email is not None)
    for user in (leader, inactive, province, delivered, elsewhere):
        assert await notices_of(user) == []
    assert sorted(message["To"] for message in inbox.messages) == sorted(
        [str(operator.email), str(coordinator.email)]
    )
    (mail,) = inbox.to(operator.email or "")
    assert mail["Subject"] == f"[Pantau] Due soon: Laporan triwulan ({year}-Q1)"
    assert mail["From"] == config.sender and "Kota Pontianak" in mail.get_content()
    assert mail["Message-ID"] == message_id((await notices_of(operator))[0].key)
    assert operator.email == f"{operator.username}@kesbang.test"  # the domain is kept in lower case

    for again in (due_soon, due_soon + timedelta(days=1)):  # the same run twice, then a later one
        rerun = await send_reminders(again, policy(config), root=ROOT)
        assert (rerun.notified, rerun.mail.emailed) == (0, 0)
    assert len(inbox.messages) == 2 and len(await notices_of(operator)) == 1

    overdue = await send_reminders(requirement.due_at + timedelta(days=1), policy(config), root=ROOT)
    assert overdue.mail.emailed == 2
    stages = [notice.title.split(":")[0] for notice in await notices_of(coordinator)]
    assert stages == ["Due soon", "Overdue"] and len(inbox.to(coordinator.email or "")) == 2
    assert await notices_of(delivered) == []
    late = await send_reminders(requirement.due_at + timedelta(days=31), policy(config), root=ROOT)
    assert late.due == 0  # overdue for longer than the window: no longer reminded of


async def test_documents_and_draft_reports_are_reminded_of_once_each(seeded: Clients) -> None:
    year = next(YEARS)
    due = datetime(year, 7, 10, tzinfo=UTC)
    decree = await create_requirement(
        actor="user:admin",
        period_key=f"{year}-Q2",
        kind=RequirementKind.DOCUMENT,
        document_category=DocumentCategory.DECREE,
        levels=[RegionLevel.PROVINCE],
        due_at=due,
        title="SK Tim Pemantauan",
    )
    coordinator = await person(Role.COORDINATOR, "61", email=False)
    draft = await quarterly_report("61.03", year, 2, due + timedelta(days=1), submitted=False)
    operator = await person(Role.OPERATOR, "61.03", email=False)
    await send_reminders(due - timedelta(days=1), policy(), root=ROOT)
    await send_reminders(due - timedelta(hours=1), policy(), root=ROOT)
    (notice,) = await notices_of(coordinator)
    assert notice.title == f"Due soon: SK Tim Pemantauan ({year}-Q2)"
    assert (notice.target_type, notice.target_id) == ("Requirement", str(decree.id))
    assert notice.key.startswith(f"reminder:due_soon:document:decree:{year}-Q2:61:")
    (reminded,) = await notices_of(operator)  # no requirement asks for it, but it has a due date
    assert (reminded.target_type, reminded.target_id) == ("Report", str(draft.id))
    assert reminded.title == f"Due soon: Laporan triwulan Kabupaten Sanggau ({year}-Q2)"

    # A requirement for the same report binds (due on the 15th): the draft is not reminded of on its own.
    await quarterly_requirement(year, 2)
    await send_reminders(datetime(year, 7, 15, 1, tzinfo=UTC), policy(), root=ROOT)
    titles = [item.title for item in await notices_of(operator)]
    assert titles == [reminded.title, f"Overdue: Laporan triwulan ({year}-Q2)"]


async def test_mail_held_back_by_an_smtp_outage_goes_out_once_later(
    seeded: Clients, smtp: tuple[Inbox, SmtpConfig]
) -> None:
    inbox, config = smtp
    requirement = await quarterly_requirement(next(YEARS), 3)
    operator = await person(Role.OPERATOR, "61.72")
    down = SmtpConfig(host="127.0.0.1", port=free_port(), sender=config.sender, starttls=False, timeout=5)
    when = requirement.due_at - timedelta(days=1)
    outage = await send_reminders(when, policy(down), root=ROOT)
    assert outage.notified >= 1 and outage.mail.emailed == 0 and outage.mail.email_failed >= 1
    (notice,) = await notices_of(operator)
    assert notice.emailed_at is None
    for _ in range(2):
        await send_reminders(when, policy(config), root=ROOT)
    (sent,) = inbox.to(operator.email or "")
    assert sent["Message-ID"] == message_id(notice.key)
    (notice,) = await notices_of(operator)
    assert notice.emailed_at is not None and notice.email_claimed_until is None


async def test_the_worker_task_sends_reminders(seeded: Clients, settings: Settings, worker: Path) -> None:
    year, quarter = utcnow().year, (utcnow().month - 1) // 3 + 1
    region = "61.05"
    report = await quarterly_report(region, year, quarter, utcnow() + timedelta(days=1), submitted=False)
    operator = await person(Role.OPERATOR, region, email=False)
    celery = create_celery(settings)
    await asyncio.to_thread(celery.send_task, "pantau.send_reminders", queue=settings.celery_queue)
    deadline = asyncio.get_running_loop().time() + 30
    # Other tests' requirements of the current period may remind the same operator of a delivery: the
    # report's reminders are the ones this test looks at.
    while not (notices := [n for n in await notices_of(operator) if n.target_type == "Report"]):
        if asyncio.get_running_loop().time() > deadline:
            log_text = await asyncio.to_thread(worker.read_text)
            raise AssertionError(f"no reminder; worker log:\n{log_text[-3000:]}")
        await asyncio.sleep(0.3)
    assert [(n.target_type, n.target_id) for n in notices] == [("Report", str(report.id))]
    await Report.get_pymongo_collection().delete_one({"_id": report.id})  # leaves the period to others


def test_the_scheduler_runs_reminders_hourly(settings: Settings) -> None:
    entry = create_celery(settings).conf.beat_schedule["send-reminders"]
    assert entry["task"] == "pantau.send_reminders"
    assert entry["schedule"] == settings.reminder_interval_seconds == 3600
    assert entry["options"]["queue"] == settings.celery_queue
    assert (settings.reminder_lead_days, settings.smtp_host) == (3, None)


EMAIL_SET = """mutation($id: ID!, $email: String) { userEmailSet(id: $id, input: {email: $email}) {
  user { id email } errors { field code } } }"""


async def test_users_set_their_own_address_and_admins_anyones(
    client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    user = await person(Role.OPERATOR, "61.06", email=False)
    token = (await login(settings, user.username, TEST_PASSWORD)).access_token
    user_id = global_id("User", user.id)

    own = await gql_as(client_for, token, EMAIL_SET, {"id": user_id, "email": " Op@Sanggau.Go.ID "})
    assert own["userEmailSet"] == {"user": {"id": user_id, "email": "Op@sanggau.go.id"}, "errors": []}
    other = global_id("User", (await User.find_one({"username": "operator-31.74"})).id)  # type: ignore[union-attr]
    refused = await gql_as(client_for, token, EMAIL_SET, {"id": other, "email": "x@y.id"})
    assert [e["code"] for e in refused["userEmailSet"]["errors"]] == ["PERMISSION_DENIED"]
    bad = await gql_as(client_for, token, EMAIL_SET, {"id": user_id, "email": "op@\r\nBcc: x@y.id"})
    assert bad["userEmailSet"]["errors"] == [{"field": "email", "code": "INVALID_EMAIL"}]

    admin = accounts["admin"].token
    cleared = await gql_as(client_for, admin, EMAIL_SET, {"id": user_id, "email": None})
    assert cleared["userEmailSet"]["user"]["email"] is None
    await gql_as(client_for, admin, EMAIL_SET, {"id": user_id, "email": "kesbang@sanggau.go.id"})
    peer = await person(Role.COORDINATOR, "61", email=False)  # sees the account, not its address
    peer_token = (await login(settings, peer.username, TEST_PASSWORD)).access_token
    query = "query($id: ID!) { node(id: $id) { ... on User { username email } } }"
    seen = await gql_as(client_for, peer_token, query, {"id": user_id})
    assert seen["node"] == {"username": user.username, "email": None}
    by_admin = await gql_as(client_for, admin, query, {"id": user_id})
    assert by_admin["node"]["email"] == "kesbang@sanggau.go.id"
    stored = await User.get(PydanticObjectId(str(user.id)))
    assert stored is not None and stored.email == "kesbang@sanggau.go.id"
    actions = await AuditEntry.find({"target": f"User:{user.id}", "action": "user.email_set"}).to_list()
    assert [(entry.actor, entry.change["email"]) for entry in actions] == [
        (f"user:{user.username}", "Op@sanggau.go.id"),
        ("user:admin", None),
        ("user:admin", "kesbang@sanggau.go.id"),
    ]
