"""The authorization matrix for the record domains: reports, incidents, cases and elections, for every role,
partner grants (valid, expired, revoked) and no token, on regions inside and outside each scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from bson import ObjectId

from hub.access.grants import create_grant, revoke_grant
from hub.access.models import PartnerGrant
from hub.access.principal import Principal, system_principal
from hub.cases.models import CaseCategory
from hub.cases.services import CaseDraft, open_case
from hub.core.clock import utcnow
from hub.elections.models import ElectionKind, Stage
from hub.elections.services import create_election
from hub.reports.models import Period, RiskLevel
from hub.reports.services import Content, create_quarterly
from hub.settings import Settings
from hub.sync.models import RemovalCause, SyncKind
from hub.sync.tombstones import record_removal
from tests.conftest import Account
from tests.graphql import Client, error_code, global_id, post_as, raw_id
from tests.test_authorization import PARTNER, REFUSED_AUTH, ROLES

GRANTED = ["Report.title", "Case.title", "Election.name", "RegionSupport.region"]
SEES_INSIDE = {"admin", "reviewer", "leader-31", "coordinator-31", "operator-31.74", "partner-31"}
SEES_OUTSIDE = {"admin", "reviewer", "operator-11.01"}
ALL = ROLES + PARTNER + list(REFUSED_AUTH)


@dataclass(frozen=True)
class Records:
    tokens: dict[str, str | None]
    reports: tuple[str, str]  # inside (31.74), outside (11.01)
    cases: tuple[str, str]
    election: str
    marker: str


def _author(accounts: dict[str, Account], name: str) -> Principal:
    from hub.access.principal import PrincipalKind, user_scope

    account = accounts[name]
    path = ("ID", account.region[:2], account.region) if "." in account.region else ("ID", account.region)
    return Principal(
        kind=PrincipalKind.USER,
        id=name,
        name=name,
        scope=user_scope(account.role, path),
        role=account.role,
        region_code=account.region,
        region_path=path,
    )


@pytest.fixture(scope="module")
async def records(settings: Settings, accounts: dict[str, Account]) -> Records:
    marker = uuid.uuid4().hex[:8]
    reports, cases = [], []
    for region, author in (("31.74", "operator-31.74"), ("11.01", "operator-11.01")):
        created = await create_quarterly(
            settings,
            _author(accounts, author),
            region_code=region,
            period=Period(year=2000, quarter=1),
            content=Content(title=f"Laporan {marker} {region}"),
        )
        reports.append(global_id("Report", created.report.id))
        opened = await open_case(
            system_principal("tests"),
            CaseDraft(
                title=f"Kendala {marker} {region}",
                category=CaseCategory.LOGISTICS,
                severity=RiskLevel.HIGH,
                due_at=utcnow() + timedelta(days=10),
                region_code=region,
            ),
        )
        cases.append(global_id("Case", opened.case.id))
    election, _ = await create_election(
        actor="user:reviewer",
        kind=ElectionKind.PILKADA,
        name=f"Pilkada {marker}",
        year=2026,
        region_codes=["31", "11"],
        stages=[
            Stage(
                code="logistik",
                name="Distribusi logistik",
                starts_on=date(2026, 10, 1),
                ends_on=date(2026, 11, 30),
            )
        ],
    )
    expires = utcnow() + timedelta(days=30)
    partner = await create_grant(
        actor="user:admin", agency="KPU", region_roots=["31"], fields=GRANTED, expires_at=expires
    )
    expired = await create_grant(
        actor="user:admin", agency="Bawaslu", region_roots=["31"], fields=GRANTED, expires_at=expires
    )
    await PartnerGrant.get_pymongo_collection().update_one(
        {"_id": expired.grant.id}, {"$set": {"expires_at": utcnow() - timedelta(minutes=1)}}
    )
    revoked = await create_grant(
        actor="user:admin", agency="DKPP", region_roots=["31"], fields=GRANTED, expires_at=expires
    )
    await revoke_grant(str(revoked.grant.id))
    tokens: dict[str, str | None] = {name: account.token for name, account in accounts.items()}
    tokens |= {
        "partner-31": partner.token,
        "partner-expired": expired.token,
        "partner-revoked": revoked.token,
        "no-token": None,
        "garbage-token": "not-a-token",
    }
    return Records(
        tokens, (reports[0], reports[1]), (cases[0], cases[1]), global_id("Election", election.id), marker
    )


@pytest.mark.parametrize("who", ALL)
async def test_report_and_case_nodes(who: str, records: Records, client_for: Client) -> None:
    query = (
        """query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Report { title } ... on Case { title } } }"""
    )
    ids = [*records.reports, *records.cases]
    body = await post_as(client_for, records.tokens[who], query, {"ids": ids})
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    assert "errors" not in body, body
    seen = [node["id"] if node else None for node in body["data"]["nodes"]]
    inside, outside = who in SEES_INSIDE, who in SEES_OUTSIDE
    assert seen == [
        ids[0] if inside else None,
        ids[1] if outside else None,
        ids[2] if inside else None,
        ids[3] if outside else None,
    ]


@pytest.mark.parametrize("who", ALL)
async def test_report_and_case_lists(who: str, records: Records, client_for: Client) -> None:
    query = """{ reports(first: 100, filter: {periodFrom: "2000-Q1", periodTo: "2000-Q4"}) {
                   nodes { id title } }
                 cases(first: 100) { nodes { id title } } }"""
    body = await post_as(client_for, records.tokens[who], query, {})
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    assert "errors" not in body, body
    reports = {n["id"] for n in body["data"]["reports"]["nodes"] if records.marker in n["title"]}
    cases = {n["id"] for n in body["data"]["cases"]["nodes"] if records.marker in n["title"]}
    assert reports == {rid for rid, ok in zip(records.reports, _sees(who), strict=True) if ok}
    assert cases == {cid for cid, ok in zip(records.cases, _sees(who), strict=True) if ok}


def _sees(who: str) -> tuple[bool, bool]:
    return who in SEES_INSIDE, who in SEES_OUTSIDE


@pytest.mark.parametrize("who", ALL)
async def test_election_support_is_scoped(who: str, records: Records, client_for: Client) -> None:
    query = """query($e: ID!) { electionSupport(election: $e, stage: "logistik", first: 100) {
      nodes { region { code } } } }"""
    body = await post_as(client_for, records.tokens[who], query, {"e": records.election})
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    if who in PARTNER:  # support rows are granted by their own fields: this grant lacks nphdSigned
        refused = await post_as(
            client_for,
            records.tokens[who],
            query.replace("code }", "code } nphdSigned"),
            {"e": records.election},
        )
        assert error_code(refused) == "FIELD_NOT_GRANTED"
    assert "errors" not in body, body
    codes = {node["region"]["code"] for node in body["data"]["electionSupport"]["nodes"]}
    in_31 = {code for code in codes if code.startswith("31")}
    in_11 = {code for code in codes if code.startswith("11")}
    inside, outside = _sees(who)
    assert bool(in_31) == (inside or who in {"admin", "reviewer"})
    assert ("11.01" in in_11) == outside
    if who == "operator-31.74":
        assert codes <= {"31.74"}


@pytest.mark.parametrize("who", ALL)
async def test_review_mutations_never_cross_regions(who: str, records: Records, client_for: Client) -> None:
    """Only 11.01's own office may submit its report; a refusal leaves the stored report unchanged."""
    from hub.reports.models import Report

    raw = raw_id(records.reports[1])
    before = (await Report.get(raw)).model_dump(mode="json", exclude={"needs_index"})  # type: ignore[union-attr]
    query = """mutation($id: ID!) { reportSubmit(id: $id) { report { id } errors { code } } }"""
    body = await post_as(client_for, records.tokens[who], query, {"id": records.reports[1]})
    after = (await Report.get(raw)).model_dump(mode="json", exclude={"needs_index"})  # type: ignore[union-attr]
    assert after == before
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
    elif who in PARTNER:
        assert error_code(body) in {"PERMISSION_DENIED", "FIELD_NOT_GRANTED"}
    else:
        codes = {error["code"] for error in body["data"]["reportSubmit"]["errors"]}
        if who == "operator-11.01":  # its own empty draft: refused for missing content, not for access
            assert codes == {"REQUIRED"}
        else:
            assert codes == ({"PERMISSION_DENIED"} if who in SEES_OUTSIDE else {"REPORT_NOT_FOUND"})


async def _removals_recorded(records: Records) -> str:
    """Tombstones for this module's records, as the services that remove records write them (recording them
    again, for each parametrized case, writes nothing); returns a `since` before them."""
    since = (utcnow() - timedelta(minutes=1)).isoformat()
    paths = (["ID", "31", "31.74"], ["ID", "11", "11.01"])
    for kind, ids, report_type in (
        (SyncKind.REPORT, records.reports, "quarterly"),
        (SyncKind.CASE, records.cases, None),
    ):
        for record_id, path in zip(ids, paths, strict=True):
            await record_removal(
                kind,
                ObjectId(raw_id(record_id)),
                RemovalCause.DELETED,
                key=f"matrix:{records.marker}",
                region_path=path,
                report_type=report_type,
            )
    return since


@pytest.mark.parametrize("who", ALL)
async def test_sync_changes_and_removals_are_scoped(who: str, records: Records, client_for: Client) -> None:
    """`updatedSince` lists what the viewer may see; `deleted` tells only removals of what it could see; a
    grant without `Report.updatedAt`/`Case.updatedAt` may not ask for changes since a time."""
    since = await _removals_recorded(records)
    feed = """query($since: DateTime) { deleted(since: $since, first: 100) { nodes { recordId } } }"""
    changes = """query($since: DateTime) {
      reports(updatedSince: $since, first: 100, filter: {periodFrom: "2000-Q1", periodTo: "2000-Q1"}) {
        nodes { id } }
      cases(updatedSince: $since, first: 1) { nodes { id } } }"""
    body = await post_as(client_for, records.tokens[who], feed, {"since": since})
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    assert "errors" not in body, body
    removed = {node["recordId"] for node in body["data"]["deleted"]["nodes"]}
    inside, outside = _sees(who)
    expected = {records.reports[0], records.cases[0]} if inside else set()
    expected |= {records.reports[1], records.cases[1]} if outside else set()
    assert removed & {*records.reports, *records.cases} == expected

    body = await post_as(client_for, records.tokens[who], changes, {"since": "2000-01-01T00:00:00Z"})
    if who in PARTNER:
        assert error_code(body) == "FIELD_NOT_GRANTED"
        return
    assert "errors" not in body, body
    listed = {node["id"] for node in body["data"]["reports"]["nodes"]}
    assert listed & set(records.reports) == {
        rid for rid, ok in zip(records.reports, _sees(who), strict=True) if ok
    }


EXTENSION_GRANT = """mutation($input: DeadlineExtensionGrantInput!) { deadlineExtensionGrant(input: $input) {
  extension { id } errors { code } } }"""
# Granting Aceh's regency (11.01) a later deadline: the centre only; everyone else in scope is refused by
# level, everyone outside it gets the answer an unknown region gets.
GRANTS_OUTSIDE = {"reviewer": None, "admin": "PERMISSION_DENIED", "operator-11.01": "PERMISSION_DENIED"}


@pytest.mark.parametrize("who", ALL)
async def test_deadline_extension_grant_by_level_and_scope(
    who: str, records: Records, client_for: Client
) -> None:
    from hub.reports.extensions import DeadlineExtension

    period = f"{utcnow().year + 1}-Q{ALL.index(who) % 4 + 1}"  # the reviewer's success leaves no clash
    due = datetime(utcnow().year + 2, 2, 10, tzinfo=UTC).isoformat()
    given = {"region": "11.01", "period": period, "dueAt": due, "reason": "Jalan putus."}
    before = await DeadlineExtension.count()
    body = await post_as(client_for, records.tokens[who], EXTENSION_GRANT, {"input": given})
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
    elif who in PARTNER:
        assert error_code(body) in {"PERMISSION_DENIED", "FIELD_NOT_GRANTED"}
    else:
        codes = [error["code"] for error in body["data"]["deadlineExtensionGrant"]["errors"]]
        expected = GRANTS_OUTSIDE.get(who, "REGION_NOT_FOUND")
        assert codes == ([] if expected is None else [expected])
    assert await DeadlineExtension.count() == before + (who == "reviewer")


@pytest.mark.parametrize("who", ALL)
async def test_deadline_extensions_are_scoped_and_not_for_partners_by_default(
    who: str, records: Records, client_for: Client, settings: Settings
) -> None:
    from hub.access.models import User
    from hub.access.sessions import principal_for_user
    from hub.reports.extension_grants import grant_extension

    period = Period(year=utcnow().year + 2, quarter=1)  # not one the grant matrix above uses
    made = []
    reviewer = await User.find_one({"username": "reviewer"})
    assert reviewer is not None
    for region in ("31.74", "11.01"):
        extension, _ = await grant_extension(
            settings,
            principal_for_user(reviewer),
            region_code=region,
            period_key=period.key,
            due_at=datetime(period.year, 6, 1, tzinfo=UTC),
            reason="Banjir.",
            client_mutation_id=f"matriks-{region}",  # the same extension for every principal's run
        )
        made.append(global_id("DeadlineExtension", extension.id))
    query = """query($p: String!) { deadlineExtensions(period: $p) { nodes { id reason } } }"""
    body = await post_as(client_for, records.tokens[who], query, {"p": period.key})
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    if who in PARTNER:  # the grant lists no DeadlineExtension field: an extension tells of a difficulty
        assert error_code(body) == "FIELD_NOT_GRANTED"
        return
    assert "errors" not in body, body
    seen = {node["id"] for node in body["data"]["deadlineExtensions"]["nodes"]}
    expected = {made[0]} if who in SEES_INSIDE else set()
    assert seen == expected | ({made[1]} if who in SEES_OUTSIDE else set())


@pytest.mark.parametrize("who", ALL)
async def test_report_pdf_is_read_like_the_report(who: str, records: Records, client_for: Client) -> None:
    """`GET /reports/{id}.pdf`: whoever reads the report prints it; anyone else gets the 404 of a report that
    does not exist; a token that does not pass gets its own 401."""
    answers = []
    async with client_for(records.tokens[who]) as client:
        for report in records.reports:
            answers.append(await client.get(f"/reports/{raw_id(report)}.pdf"))
    if who in REFUSED_AUTH:
        assert [answer.status_code for answer in answers] == [401, 401]
        assert answers[0].json()["errors"][0]["extensions"]["code"] == REFUSED_AUTH[who]
        return
    expected = [200 if sees else 404 for sees in _sees(who)]
    assert [answer.status_code for answer in answers] == expected
    for answer in answers:
        assert answer.content.startswith(b"%PDF") == (answer.status_code == 200)


@pytest.fixture(scope="module")
async def review_queue(
    settings: Settings, accounts: dict[str, Account], records: Records
) -> tuple[str, list[str]]:
    """Submitted reports of 31.74 (the province's coordinator reviews it), 11.01 and 31 (the centre's), in a
    period no other test uses."""
    from hub.reports.models import Report, ReportStatus
    from tests.test_reports import fresh_period

    year, quarter = fresh_period()
    made = []
    for region, author in (
        ("31.74", "operator-31.74"),
        ("11.01", "operator-11.01"),
        ("31", "coordinator-31"),
    ):
        created = await create_quarterly(
            settings,
            _author(accounts, author),
            region_code=region,
            period=Period(year=year, quarter=quarter),
            content=Content(title=f"Antrean {records.marker} {region}"),
        )
        await Report.get_pymongo_collection().update_one(
            {"_id": created.report.id},
            {"$set": {"status": ReportStatus.SUBMITTED.value, "submitted_at": utcnow()}},
        )
        made.append(global_id("Report", created.report.id))
    return f"{year}-Q{quarter}", made


# Whose review queue holds which of review_queue's reports: the parent's coordinator; the centre, provinces'.
QUEUES = {"coordinator-31": {0}, "reviewer": {2}}


@pytest.mark.parametrize("who", ALL)
async def test_waiting_for_my_review_is_the_viewers_own_queue(
    who: str, records: Records, review_queue: tuple[str, list[str]], client_for: Client
) -> None:
    period, queued = review_queue
    query = """query($period: String!) { reports(first: 100, filter: {waitingForMyReview: true,
                 periodFrom: $period, periodTo: $period}) { nodes { id } } }"""
    body = await post_as(client_for, records.tokens[who], query, {"period": period})
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    assert "errors" not in body, body
    listed = {node["id"] for node in body["data"]["reports"]["nodes"]} & set(queued)
    assert listed == {queued[index] for index in QUEUES.get(who, set())}


@pytest.fixture(scope="module")
async def owned_notification(records: Records) -> str:
    """A notification of coordinator-31's."""
    from hub.access.models import User
    from hub.notifications.models import NotificationKind
    from hub.notifications.service import NotificationDraft, notify

    owner = await User.find_one({"username": "coordinator-31"})
    assert owner is not None and owner.id is not None
    made = await notify(
        NotificationDraft(
            user_id=owner.id,
            kind=NotificationKind.REPORT_SUBMITTED,
            title="Laporan menunggu tinjauan Anda",
            body="-",
            key=f"matrix:{records.marker}",
            target_type="Report",
            target_id=raw_id(records.reports[0]),
            params={"title": records.marker},
            region_path=("ID", "31", "31.74"),
        )
    )
    assert made is not None
    return global_id("Notification", made.id)


NOTIFICATION_OPERATIONS = {
    "node": ("query($id: ID!) { node(id: $id) { id ... on Notification { title } } }", "node"),
    "notificationMarkRead": (
        "mutation($id: ID!) { notificationMarkRead(id: $id) { notification { read } errors { code } } }",
        "notificationMarkRead",
    ),
    "notificationMarkAllRead": (
        "mutation { notificationMarkAllRead { markedCount errors { code } } }",
        "notificationMarkAllRead",
    ),
    "notificationPreferences": (
        "{ notificationPreferences { email hasEmailAddress } }",
        "notificationPreferences",
    ),
    "notificationPreferencesSet": (
        "mutation { notificationPreferencesSet(input: {email: REMINDERS}) { preferences { email } "
        "errors { code } } }",
        "notificationPreferencesSet",
    ),
}


@pytest.mark.parametrize("operation", sorted(NOTIFICATION_OPERATIONS))
@pytest.mark.parametrize("who", ALL)
async def test_notifications_are_their_owners_alone(
    who: str, operation: str, records: Records, owned_notification: str, client_for: Client
) -> None:
    """Each staff account reads and changes only its own notifications and preferences; partners have none."""
    query, field = NOTIFICATION_OPERATIONS[operation]
    variables = {"id": owned_notification} if "$id" in query else {}
    body = await post_as(client_for, records.tokens[who], query, variables)
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    if who in PARTNER:
        # The lookup: refused for a type the grant reads no field of, or null.
        refused = error_code(body) in {"PERMISSION_DENIED", "FIELD_NOT_GRANTED"}
        assert refused or (operation == "node" and body["data"]["node"] is None), body
        return
    assert "errors" not in body, body
    answer = body["data"][field]
    owner = who == "coordinator-31"
    if operation == "node":
        assert (answer is not None) == owner
        if owner:
            assert answer["title"] == f"Report waiting for your review: {records.marker}"  # English clients
    elif operation == "notificationMarkRead":
        expected = [] if owner else [{"code": "NOTIFICATION_NOT_FOUND"}]
        assert answer["errors"] == expected and (answer["notification"] is not None) == owner
    elif operation == "notificationPreferences":
        assert answer == {"email": "REMINDERS", "hasEmailAddress": False}
    else:
        assert answer["errors"] == []


COMMENT_ADD = """mutation($input: CommentAddInput!) { commentAdd(input: $input) {
  comment { id } errors { code } } }"""
THREAD = """query($ids: [ID!]!) { nodes(ids: $ids) { id
  ... on Report { comments(first: 100) { nodes { body } } }
  ... on Case { comments(first: 100) { nodes { body } } } } }"""
# Who may comment: every staff account that reads the record (leaders too); partners never.


@pytest.mark.parametrize("who", ALL)
async def test_comments_follow_the_records_readers_and_never_partners(
    who: str, records: Records, client_for: Client
) -> None:
    from hub.threads.models import Comment

    before = await Comment.count()
    written = 0
    for record, readable in (
        *zip(records.reports, _sees(who), strict=True),
        *zip(records.cases, _sees(who), strict=True),
    ):
        given = {"record": record, "body": f"Komentar {who} {records.marker}"}
        body = await post_as(client_for, records.tokens[who], COMMENT_ADD, {"input": given})
        if who in REFUSED_AUTH:
            assert error_code(body) == REFUSED_AUTH[who]
        elif who in PARTNER:
            assert body["data"] is None and error_code(body) == "PERMISSION_DENIED"
        else:
            codes = [error["code"] for error in body["data"]["commentAdd"]["errors"]]
            assert codes == ([] if readable else ["RECORD_NOT_FOUND"]), record
            written += readable
    assert await Comment.count() == before + written

    body = await post_as(client_for, records.tokens[who], THREAD, {"ids": [*records.reports, *records.cases]})
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    if who in PARTNER:  # the grant lists no comment field; were it to, the thread is refused all the same
        assert error_code(body) == "FIELD_NOT_GRANTED"
        return
    assert "errors" not in body, body
    mine = f"Komentar {who} {records.marker}"
    for node, readable in zip(body["data"]["nodes"], (*_sees(who), *_sees(who)), strict=True):
        assert (node is not None) == readable
        if node is not None:
            assert mine in [comment["body"] for comment in node["comments"]["nodes"]]


REASON_ADDRESS = """mutation($id: ID!) { reportReturnReasonAddress(id: $id, input: {reason: "1.0"}) {
  report { id } errors { code } } }"""


@pytest.mark.parametrize("who", ALL)
async def test_return_reasons_are_marked_only_within_scope(
    who: str, records: Records, client_for: Client
) -> None:
    """On 11.01's draft, which was never returned: its own office learns there is no such reason; everyone
    else is refused by scope or role first; nothing changes."""
    from hub.reports.models import Report

    raw = raw_id(records.reports[1])
    before = (await Report.get(raw)).model_dump(mode="json", exclude={"needs_index"})  # type: ignore[union-attr]
    body = await post_as(client_for, records.tokens[who], REASON_ADDRESS, {"id": records.reports[1]})
    after = (await Report.get(raw)).model_dump(mode="json", exclude={"needs_index"})  # type: ignore[union-attr]
    assert after == before
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
    elif who in PARTNER:
        assert error_code(body) == "PERMISSION_DENIED"
    else:
        codes = {error["code"] for error in body["data"]["reportReturnReasonAddress"]["errors"]}
        if who == "operator-11.01":
            assert codes == {"REASON_NOT_FOUND"}
        else:
            assert codes == ({"PERMISSION_DENIED"} if who in SEES_OUTSIDE else {"REPORT_NOT_FOUND"})


TEMPLATE_CREATE = """mutation { templateVersionCreate(input: {type: INCIDENT, title: "Matriks",
  sections: [{code: "chronology", title: "Kronologi"}],
  rules: [{code: "r", message: "m", require: {field: "nowhere", op: PRESENT}}]}) {
  template { version } errors { field code } } }"""
TEMPLATE_VERSIONS = """{ reportTemplateVersions(type: INCIDENT) { totalCount nodes { version } } }"""


@pytest.mark.parametrize("who", ALL)
async def test_template_management_is_for_admins(who: str, records: Records, client_for: Client) -> None:
    """Only admins reach the template checks (here refusing a rule about an unknown indicator, so that the
    matrix creates no version); everyone else is refused before; nothing is written either way."""
    from hub.reports.models import ReportTemplate

    before = await ReportTemplate.count()
    body = await post_as(client_for, records.tokens[who], TEMPLATE_CREATE, {})
    listed = await post_as(client_for, records.tokens[who], TEMPLATE_VERSIONS, {})
    assert await ReportTemplate.count() == before
    if who in REFUSED_AUTH:
        assert error_code(body) == error_code(listed) == REFUSED_AUTH[who]
    elif who == "admin":
        errors = body["data"]["templateVersionCreate"]["errors"]
        assert errors == [{"field": "rules.0.require.field", "code": "UNKNOWN_FIELD"}]
        assert listed["data"]["reportTemplateVersions"]["totalCount"] >= 1
    else:
        assert body["data"] is None and error_code(body) == "PERMISSION_DENIED"
        assert listed["data"] is None
        assert error_code(listed) == "PERMISSION_DENIED"
