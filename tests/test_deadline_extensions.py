"""Deadline extensions through GraphQL, as a province coordinator, the centre and the region's operator: an
extension moves the region's report deadline (dueAt, overdue, submittedLate), completeness timeliness and
reminders, and a revocation moves them back; only the level above grants or revokes, a region outside the
scope answers as one that does not exist, and hostile input gets a typed error and changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from hub.access.models import User
from hub.access.principal import Principal
from hub.access.sessions import principal_for_user
from hub.audit.models import AuditEntry
from hub.completeness.models import RequirementKind
from hub.completeness.services import create_requirement
from hub.core.clock import utcnow
from hub.regions.models import RegionLevel
from hub.reminders.due import Stage, Window, due_items
from hub.reports.deadlines import quarter_end, quarterly_due
from hub.reports.extensions import DeadlineExtension
from hub.reports.models import Period, Report, ReportType
from hub.reports.services import Content, create_quarterly
from hub.settings import Settings
from tests.conftest import Account
from tests.graphql import Client, gql_field_as, raw_id
from tests.reports_helpers import COMPLETE_VALUES, NARRATIVES, STEP, content, create_report

EXTENSION = "id region { code } periodKey dueAt baseDueAt reason inForce revokedAt grantedBy { username }"
GRANT = f"""mutation($input: DeadlineExtensionGrantInput!) {{ deadlineExtensionGrant(input: $input) {{
  extension {{ {EXTENSION} }} errors {{ field code message }} clientMutationId }} }}"""
REVOKE = f"""mutation($id: ID!, $reason: String) {{
  deadlineExtensionRevoke(id: $id, input: {{reason: $reason}}) {{
  extension {{ {EXTENSION} }} errors {{ field code }} }} }}"""
LIST = """query($region: RegionCode, $period: String) {
  deadlineExtensions(region: $region, period: $period, includeRevoked: true) {
  totalCount nodes { id inForce } } }"""
REPORT = """query($id: ID!) { node(id: $id) { ... on Report { dueAt overdue submittedLate } } }"""
CELLS = """query($p: String!) { completenessMatrix(periods: [$p], region: "31.74") {
  nodes { region { code } figures { onTime late missing } cells { state dueAt } } } }"""


def _past_period(back: int = 2) -> Period:
    """A quarter `back` quarters before the current one: its deadline has passed, not by a year."""
    now = utcnow()
    index = now.year * 4 + (now.month - 1) // 3 - back
    return Period(year=index // 4, quarter=index % 4 + 1)


PERIOD = _past_period()  # 31.74 (the first test) and 31.72 (the reminders) report for it
FUTURE = Period(year=utcnow().year + 1, quarter=4)


def _base(period: Period, settings: Settings) -> datetime:
    return quarterly_due(period, settings.quarterly_report_due_days)


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _grant_input(
    region: str, period: Period, due: datetime, reason: str = "Banjir di ibu kota."
) -> dict[str, Any]:
    return {"input": {"region": region, "period": period.key, "dueAt": due.isoformat(), "reason": reason}}


async def _principal(username: str) -> Principal:
    user = await User.find_one({"username": username})
    assert user is not None
    return principal_for_user(user)


async def _counts() -> tuple[int, list[tuple[str, Any]]]:
    reports = await Report.find({"period_key": PERIOD.key}).sort("_id").to_list()
    return await DeadlineExtension.count(), [(str(report.id), report.due_at) for report in reports]


@pytest.fixture(scope="module")
async def requirement(settings: Settings, accounts: dict[str, Account]) -> None:
    await create_requirement(
        actor="user:admin",
        period_key=PERIOD.key,
        kind=RequirementKind.REPORT,
        levels=[RegionLevel.REGENCY, RegionLevel.CITY],
        due_at=_base(PERIOD, settings),
        title="Laporan triwulan kabupaten",
        report_type=ReportType.QUARTERLY,
    )


@pytest.mark.usefixtures("requirement")
async def test_an_extension_moves_the_deadline_and_a_revocation_moves_it_back(
    client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    operator, coordinator = accounts["operator-31.74"].token, accounts["coordinator-31"].token
    base = _base(PERIOD, settings)
    draft = await create_report(
        client_for, operator, "31.74", PERIOD.year, PERIOD.quarter, content(COMPLETE_VALUES, NARRATIVES)
    )
    before = await gql_field_as(client_for, operator, REPORT, {"id": draft["id"]}, "node")
    assert (_at(before["dueAt"]), before["overdue"]) == (base, True)

    due = (utcnow() + timedelta(days=10)).replace(microsecond=0)
    granted = await gql_field_as(client_for, coordinator, GRANT, _grant_input("31.74", PERIOD, due))
    assert granted["errors"] == []
    extension = granted["extension"]
    assert (extension["region"], extension["periodKey"], extension["inForce"]) == (
        {"code": "31.74"},
        PERIOD.key,
        True,
    )
    assert (_at(extension["dueAt"]), _at(extension["baseDueAt"])) == (due, base)
    assert extension["grantedBy"] == {"username": "coordinator-31"}

    extended = await gql_field_as(client_for, operator, REPORT, {"id": draft["id"]}, "node")
    assert (_at(extended["dueAt"]), extended["overdue"]) == (due, False)

    # Submitted now: after the period's deadline, before the extended one: on time.
    submitted = await gql_field_as(
        client_for, operator, STEP["reportSubmit"], {"id": draft["id"], "input": None}
    )
    assert submitted["errors"] == []
    assert (await gql_field_as(client_for, operator, REPORT, {"id": draft["id"]}, "node"))[
        "submittedLate"
    ] is False
    row = await _row(client_for, accounts["reviewer"].token)
    assert row["figures"] == {"onTime": 1, "late": 0, "missing": 0}
    assert [(cell["state"], _at(cell["dueAt"])) for cell in row["cells"]] == [("ON_TIME", due)]

    # Seen by the region's operator; not by another region's.
    listed = await gql_field_as(
        client_for, operator, LIST, {"region": "31.74", "period": PERIOD.key}, "deadlineExtensions"
    )
    assert [node["id"] for node in listed["nodes"]] == [extension["id"]]
    hidden = await gql_field_as(
        client_for,
        accounts["operator-11.01"].token,
        LIST,
        {"region": None, "period": PERIOD.key},
        "deadlineExtensions",
    )
    assert hidden == {"totalCount": 0, "nodes": []}

    revoked = await gql_field_as(
        client_for, coordinator, REVOKE, {"id": extension["id"], "reason": "Salah input."}
    )
    assert revoked["errors"] == []
    assert (revoked["extension"]["inForce"], revoked["extension"]["revokedAt"] is not None) == (False, True)
    after = await gql_field_as(client_for, operator, REPORT, {"id": draft["id"]}, "node")
    assert (_at(after["dueAt"]), after["submittedLate"]) == (base, True)
    row = await _row(client_for, accounts["reviewer"].token)
    assert row["figures"] == {"onTime": 0, "late": 1, "missing": 0}
    # A retried revocation answers the extension as it is; the history keeps it.
    again = await gql_field_as(
        client_for, coordinator, REVOKE, {"id": extension["id"], "reason": "Salah input."}
    )
    assert (again["errors"], again["extension"]["id"]) == ([], extension["id"])
    target = f"DeadlineExtension:{raw_id(extension['id'])}"
    entries = await AuditEntry.find({"target": target}).sort("seq").to_list()
    assert [(entry.actor, entry.action) for entry in entries] == [
        ("user:coordinator-31", "deadline_extension.grant"),
        ("user:coordinator-31", "deadline_extension.revoke"),
    ]
    kept = await gql_field_as(
        client_for, operator, LIST, {"region": "31.74", "period": PERIOD.key}, "deadlineExtensions"
    )
    assert kept["nodes"] == [{"id": extension["id"], "inForce": False}]


async def _row(client_for: Client, token: str) -> dict[str, Any]:
    matrix = await gql_field_as(client_for, token, CELLS, {"p": PERIOD.key}, "completenessMatrix")
    rows = [node for node in matrix["nodes"] if node["region"]["code"] == "31.74"]
    assert len(rows) == 1
    return rows[0]


@pytest.mark.usefixtures("requirement")
async def test_reminders_follow_the_extended_deadline(
    client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    operator = await _principal("operator-31.74")
    author = Principal(**{**operator.__dict__, "region_code": "31.72", "region_path": ("ID", "31", "31.72")})
    await create_quarterly(
        settings, author, region_code="31.72", period=PERIOD, content=Content(title="Laporan")
    )
    window = Window(now=utcnow(), lead=timedelta(days=7), overdue=timedelta(days=30))

    def owed() -> Any:
        return [
            (item.stage, item.due_at)
            for item in items
            if item.region.id == "31.72" and PERIOD.key in item.what
        ]

    items = await due_items(window, "31")
    assert owed() == []  # the period's deadline passed more than 30 days ago
    due = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    granted = await gql_field_as(
        client_for, accounts["reviewer"].token, GRANT, _grant_input("31.72", PERIOD, due)
    )
    assert granted["errors"] == []
    items = await due_items(window, "31")
    assert owed() == [(Stage.DUE_SOON, due)]


@pytest.mark.parametrize(
    ("who", "region", "code"),
    [
        ("operator-31.74", "31.74", "PERMISSION_DENIED"),  # its own region: the level above grants
        ("leader-31", "31.74", "PERMISSION_DENIED"),
        ("admin", "31.74", "PERMISSION_DENIED"),
        ("coordinator-31", "31", "PERMISSION_DENIED"),  # its own province: the centre grants
        ("coordinator-31", "11.01", "REGION_NOT_FOUND"),  # outside its scope, answered like …
        ("coordinator-31", "99.99", "REGION_NOT_FOUND"),  # … a region that does not exist
        ("operator-11.01", "31.74", "REGION_NOT_FOUND"),
    ],
)
async def test_only_the_level_above_grants(
    who: str, region: str, code: str, client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    before = await _counts()
    due = _base(FUTURE, settings) + timedelta(days=5)
    result = await gql_field_as(client_for, accounts[who].token, GRANT, _grant_input(region, FUTURE, due))
    assert (result["extension"], [error["code"] for error in result["errors"]]) == (None, [code])
    assert await _counts() == before


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"dueAt": "2001-01-01T00:00:00Z"}, "dueAt", "INVALID_DEADLINE"),  # in the past
        ({"dueAt": "base-1"}, "dueAt", "INVALID_DEADLINE"),  # future, but earlier than the period's deadline
        ({"dueAt": "base+400"}, "dueAt", "INVALID_DEADLINE"),  # more than a year past it
        ({"reason": "   "}, "reason", "REASON_REQUIRED"),
        ({"reason": "x" * 100_000}, "reason", "REASON_TOO_LONG"),
        ({"period": "2026-Q9"}, "period", "INVALID_PERIOD"),
        ({"period": "kemarin"}, "period", "INVALID_PERIOD"),
    ],
)
async def test_hostile_input_is_refused_and_changes_nothing(
    change: dict[str, str],
    field: str,
    code: str,
    client_for: Client,
    accounts: dict[str, Account],
    settings: Settings,
) -> None:
    base = _base(FUTURE, settings)
    given = _grant_input("31.74", FUTURE, base + timedelta(days=5))
    dates = {"base-1": base - timedelta(days=1), "base+400": base + timedelta(days=400)}
    given["input"] |= {
        key: dates[value].isoformat() if value in dates else value for key, value in change.items()
    }
    before = await _counts()
    result = await gql_field_as(client_for, accounts["reviewer"].token, GRANT, given)
    assert [(error["field"], error["code"]) for error in result["errors"]] == [(field, code)]
    assert await _counts() == before


async def test_one_extension_in_force_and_retries_answer_the_first(
    client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    reviewer, coordinator = accounts["reviewer"].token, accounts["coordinator-31"].token
    period = Period(year=FUTURE.year, quarter=3)
    given = _grant_input("31", period, _base(period, settings) + timedelta(days=3))
    given["input"]["clientMutationId"] = "hp-ulang-1"
    first = await gql_field_as(client_for, reviewer, GRANT, given)
    assert first["errors"] == []
    again = await gql_field_as(client_for, reviewer, GRANT, given)
    assert (again["errors"], again["extension"]["id"]) == ([], first["extension"]["id"])
    assert await DeadlineExtension.find({"region_code": "31", "period_key": period.key}).count() == 1
    another = await gql_field_as(
        client_for, reviewer, GRANT, _grant_input("31", period, _base(period, settings) + timedelta(days=9))
    )
    assert [error["code"] for error in another["errors"]] == ["ALREADY_EXTENDED"]
    # The province's own extension: its coordinator may read it, not revoke it; Aceh's operator sees nothing.
    refused = await gql_field_as(
        client_for, coordinator, REVOKE, {"id": first["extension"]["id"], "reason": None}
    )
    assert [error["code"] for error in refused["errors"]] == ["PERMISSION_DENIED"]
    unseen = await gql_field_as(
        client_for, accounts["operator-11.01"].token, REVOKE, {"id": first["extension"]["id"], "reason": None}
    )
    assert [error["code"] for error in unseen["errors"]] == ["EXTENSION_NOT_FOUND"]
    stored = await DeadlineExtension.get(raw_id(first["extension"]["id"]))
    assert stored is not None and stored.revoked_at is None
    assert quarter_end(period) < stored.due_at
