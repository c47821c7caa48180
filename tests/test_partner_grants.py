"""Partners as they drive the API: `electionSupport` under a grant that lists its fields (and refused without
them), their own grant through `viewer`, and admins extending, narrowing, widening and rotating a grant
without making a new one — the old token refused over HTTP and on an open WebSocket at once.

The election covers province 75 (Gorontalo), which no other test's election uses."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from beanie import PydanticObjectId

from hub.access.grants import create_grant, revoke_grant
from hub.access.models import PartnerGrant, PartnerRead
from hub.audit.models import AuditEntry
from hub.audit.values import SECRET_MARK
from hub.cases.models import Case, CaseCategory
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.elections.models import ElectionKind, Stage
from hub.elections.services import create_election
from hub.regions.services import get_regions
from hub.reports.models import Period, Report, ReportStatus, ReportType, RiskLevel
from hub.settings import Settings
from hub.webhooks.config import set_webhook
from hub.webhooks.outbox import webhook_grants
from tests.conftest import Account
from tests.graphql import Client, error_code, global_id, gql_as, gql_field_as, post_as
from tests.live_helpers import api_process, file_incident, fresh, live_client, subscribers_reach

STAGE = "logistik"
SUPPORT = """query($e: ID!, $f: ElectionSupportFilter) {
  electionSupport(election: $e, stage: "logistik", filter: $f, first: 50) {
    totalCount nodes { region { code } nphdSigned openCases { id title } } } }"""
ALL_SUPPORT_FIELDS = [
    "RegionSupport.region",
    "RegionSupport.reported",
    "RegionSupport.nphdSigned",
    "RegionSupport.openCases",
    "Case.title",
]
VIEWER = (
    """{ viewer { kind name grant { agency regionCodes regions { code } fields reportTypes expiresAt } } }"""
)


@dataclass(frozen=True)
class World:
    election: str  # global id
    report: str  # 75.01's report: NPHD not signed
    case: str  # 75.01's open NPHD case
    case_title: str


@pytest.fixture(scope="module")
async def world(seeded: Clients) -> World:
    marker = uuid.uuid4().hex[:8]
    election, _ = await create_election(
        actor="user:reviewer",
        kind=ElectionKind.PILKADA,
        name=f"Pilkada Gorontalo {marker}",
        year=2026,
        region_codes=["75"],
        stages=[
            Stage(
                code=STAGE,
                name="Distribusi logistik",
                starts_on=date(2026, 10, 1),
                ends_on=date(2026, 11, 30),
            )
        ],
    )
    regions = await get_regions(["75.01", "75.02"])
    reports = {}
    for code, signed in (("75.01", False), ("75.02", True)):
        report = Report(
            region_code=code,
            region_path=regions[code].subtree_codes,
            type=ReportType.QUARTERLY,
            template_version=1,
            period=Period(year=2026, quarter=3),
            period_key="2026-Q3",
            title=f"Laporan triwulan {code} {marker}",
            values={"nphd_signed": signed, "team_decree_in_place": True},
            election_id=election.id,
            stage_code=STAGE,
            status=ReportStatus.SUBMITTED,
            author="user:tests",
            due_at=utcnow() + timedelta(days=10),
            submitted_at=utcnow(),
            needs_index=False,
        )
        await report.insert()
        reports[code] = report
    title = f"NPHD belum ditandatangani {marker}"
    case = Case(
        region_code="75.01",
        region_path=regions["75.01"].subtree_codes,
        title=title,
        description=title,
        category=CaseCategory.NPHD,
        severity=RiskLevel.MEDIUM,
        election_id=election.id,
        stage_code=STAGE,
        due_at=utcnow() + timedelta(days=14),
        opened_by="user:tests",
        needs_index=False,
    )
    await case.insert()
    return World(
        election=global_id("Election", election.id),
        report=global_id("Report", reports["75.01"].id),
        case=global_id("Case", case.id),
        case_title=title,
    )


async def _grant(
    *fields: str, roots: tuple[str, ...] = ("75",), report_types: list[str] | None = None
) -> tuple[str, str]:
    created = await create_grant(
        actor="user:admin",
        agency=f"KPU {uuid.uuid4().hex[:6]}",
        region_roots=list(roots),
        fields=list(fields),
        report_types=report_types,
        expires_at=utcnow() + timedelta(days=5),
    )
    return created.token, str(created.grant.id)


# ---- electionSupport under a grant ---------------------------------------------------------------------


async def test_a_partner_with_the_support_fields_reads_which_regions_have_not_signed(
    world: World, client_for: Client
) -> None:
    token, grant_id = await _grant(*ALL_SUPPORT_FIELDS)
    found = await gql_field_as(client_for, token, SUPPORT, {"e": world.election, "f": {"nphdSigned": False}})
    assert found["totalCount"] == 1
    assert found["nodes"] == [
        {
            "region": {"code": "75.01"},
            "nphdSigned": False,
            "openCases": [{"id": world.case, "title": world.case_title}],
        }
    ]
    (read,) = await PartnerRead.find({"grant_id": PydanticObjectId(grant_id)}).to_list()
    assert world.report in read.object_ids and world.case in read.object_ids
    assert "RegionSupport.nphdSigned" in read.fields and "Case.title" in read.fields


REFUSALS = [
    # (fields granted, query variables' filter, the message part)
    (["Report.title"], None, "lists RegionSupport, of which nothing is granted"),
    (["RegionSupport.region", "RegionSupport.openCases", "Case.title"], None, "RegionSupport.nphdSigned"),
    (["RegionSupport.region", "RegionSupport.nphdSigned", "RegionSupport.openCases"], None, "Case.title"),
]


@pytest.mark.parametrize(("fields", "wanted", "named"), REFUSALS)
async def test_a_partner_without_the_fields_is_refused(
    fields: list[str], wanted: dict[str, Any] | None, named: str, world: World, client_for: Client
) -> None:
    token, _ = await _grant(*fields)
    body = await post_as(client_for, token, SUPPORT, {"e": world.election, "f": wanted})
    assert body["data"] is None and error_code(body) == "FIELD_NOT_GRANTED"
    assert named in body["errors"][0]["message"]


async def test_counts_and_filters_need_the_field_they_reveal(world: World, client_for: Client) -> None:
    token, _ = await _grant("RegionSupport.region")
    counted = """query($e: ID!, $f: ElectionSupportFilter) {
      electionSupport(election: $e, stage: "logistik", filter: $f) { totalCount } }"""
    # Without a filter the count is of participating regions in the grant: its own axis.
    assert (await gql_field_as(client_for, token, counted, {"e": world.election}))["totalCount"] >= 2
    for given, needed in (
        ({"nphdSigned": False}, "RegionSupport.nphdSigned"),
        ({"reported": True}, "RegionSupport.reported"),
        ({"logisticsOnTime": True}, "RegionSupport.logisticsOnTime"),
    ):
        body = await post_as(client_for, token, counted, {"e": world.election, "f": given})
        assert error_code(body) == "FIELD_NOT_GRANTED" and needed in body["errors"][0]["message"], body
    blind, _ = await _grant("Report.title")
    body = await post_as(client_for, blind, counted, {"e": world.election})
    assert error_code(body) == "FIELD_NOT_GRANTED"


async def test_a_grant_without_quarterly_reports_reads_no_values_from_them(
    world: World, client_for: Client
) -> None:
    token, _ = await _grant(*ALL_SUPPORT_FIELDS, report_types=["incident"])
    found = await gql_field_as(client_for, token, SUPPORT, {"e": world.election})
    rows = {node["region"]["code"]: node for node in found["nodes"]}
    assert rows["75.01"]["nphdSigned"] is None and rows["75.02"]["nphdSigned"] is None


async def test_a_grant_elsewhere_sees_no_rows(world: World, client_for: Client) -> None:
    token, _ = await _grant(*ALL_SUPPORT_FIELDS, roots=("31",))
    found = await gql_field_as(client_for, token, SUPPORT, {"e": world.election})
    assert found == {"totalCount": 0, "nodes": []}


# ---- viewer --------------------------------------------------------------------------------------------


async def test_the_viewer_of_a_partner_is_its_own_grant(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    token, _ = await _grant("Report.title", "Case.title", roots=("75", "31.74"), report_types=["quarterly"])
    other, _ = await _grant("Document.text", roots=("11",))
    viewer = (await gql_as(client_for, token, VIEWER))["viewer"]
    grant = viewer["grant"]
    assert viewer["kind"] == "PARTNER" and grant["agency"] == viewer["name"]
    assert grant["regionCodes"] == ["31.74", "75"]
    assert [region["code"] for region in grant["regions"]] == ["31.74", "75"]
    assert grant["fields"] == ["Case.title", "Report.title"]
    assert grant["reportTypes"] == ["QUARTERLY"]
    assert datetime.fromisoformat(grant["expiresAt"]) > utcnow() + timedelta(days=4)
    assert "Document.text" not in str(viewer)  # nothing of the other grant
    staff = (await gql_as(client_for, accounts["admin"].token, VIEWER))["viewer"]
    assert staff["kind"] == "USER" and staff["grant"] is None
    assert other


# ---- extend, narrow, widen, rotate ----------------------------------------------------------------------

EXTEND = """mutation($id: ID!, $at: DateTime!) { partnerGrantExtend(id: $id, expiresAt: $at) {
  grant { expiresAt } errors { field code message } } }"""
NARROW = """mutation($id: ID!, $input: PartnerGrantLimitsInput!) {
  partnerGrantNarrow(id: $id, input: $input) {
  grant { regionCodes fields reportTypes } errors { field code message } } }"""
WIDEN = """mutation($id: ID!, $input: PartnerGrantLimitsInput!, $reason: String!) {
  partnerGrantWiden(id: $id, input: $input, reason: $reason) {
  grant { regionCodes fields } errors { field code message } } }"""
ROTATE = """mutation($id: ID!) { partnerGrantTokenRotate(id: $id) { token grant { id } errors { code } } }"""


def _utc(value: str | datetime) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _entries(grant_id: str, action: str) -> list[AuditEntry]:
    return await AuditEntry.find({"target": f"PartnerGrant:{grant_id}", "action": action}).to_list()


async def test_an_admin_extends_a_grant_and_the_change_is_audited(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    token, grant_id = await _grant("Report.title")
    before = await PartnerGrant.get(PydanticObjectId(grant_id))
    assert before is not None
    later = (utcnow() + timedelta(days=60)).replace(microsecond=0)
    admin = accounts["admin"].token
    result = await gql_field_as(
        client_for, admin, EXTEND, {"id": global_id("PartnerGrant", grant_id), "at": later.isoformat()}
    )
    assert result["errors"] == [] and datetime.fromisoformat(result["grant"]["expiresAt"]) == later
    viewer = (await gql_as(client_for, token, VIEWER))["viewer"]
    assert datetime.fromisoformat(viewer["grant"]["expiresAt"]) == later  # the same token, the new expiry
    (entry,) = await _entries(grant_id, "partner_grant.extend")
    assert entry.actor == "user:admin" and entry.change["fields"] == ["expires_at"]
    assert _utc(entry.change["after"]["expires_at"]) == later
    assert _utc(entry.change["before"]["expires_at"]) == _utc(before.expires_at)


async def test_narrowing_takes_effect_at_once_and_never_widens(
    world: World, client_for: Client, accounts: dict[str, Account]
) -> None:
    token, grant_id = await _grant(*ALL_SUPPORT_FIELDS)
    admin, gid = accounts["admin"].token, global_id("PartnerGrant", grant_id)
    narrowed = await gql_field_as(
        client_for,
        admin,
        NARROW,
        {"id": gid, "input": {"regionCodes": ["75.02"], "fields": ALL_SUPPORT_FIELDS[:3]}},
    )
    assert narrowed["errors"] == [] and narrowed["grant"]["regionCodes"] == ["75.02"]
    rows = """query($e: ID!) { electionSupport(election: $e, stage: "logistik") {
      nodes { region { code } nphdSigned } } }"""
    found = await gql_field_as(client_for, token, rows, {"e": world.election})
    assert [node["region"]["code"] for node in found["nodes"]] == ["75.02"]
    body = await post_as(client_for, token, SUPPORT, {"e": world.election})  # openCases is no longer granted
    assert error_code(body) == "FIELD_NOT_GRANTED"
    for wider, field in (
        ({"regionCodes": ["75"]}, "regionCodes"),
        ({"fields": ["RegionSupport.region", "Report.narratives"]}, "fields"),
    ):
        refused = await gql_field_as(client_for, admin, NARROW, {"id": gid, "input": wider})
        assert refused["grant"] is None, refused
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [(field, "NOT_NARROWER")]
    stored = await PartnerGrant.get(PydanticObjectId(grant_id))
    assert (
        stored is not None
        and stored.region_roots == ["75.02"]
        and stored.fields == sorted(ALL_SUPPORT_FIELDS[:3])
    )
    (entry,) = await _entries(grant_id, "partner_grant.narrow")
    assert entry.change["before"]["region_roots"] == ["75"] and entry.change["after"]["region_roots"] == [
        "75.02"
    ]


async def test_widening_is_its_own_decision_with_a_reason(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    _, grant_id = await _grant("Report.title", roots=("75.01",), report_types=["quarterly"])
    admin, gid = accounts["admin"].token, global_id("PartnerGrant", grant_id)
    refused = await gql_field_as(client_for, admin, NARROW, {"id": gid, "input": {"regionCodes": ["75"]}})
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("regionCodes", "NOT_NARROWER")]
    no_reason = await gql_field_as(
        client_for, admin, WIDEN, {"id": gid, "input": {"regionCodes": ["75"]}, "reason": "  "}
    )
    assert [(e["field"], e["code"]) for e in no_reason["errors"]] == [("reason", "INVALID_GRANT")]
    widened = await gql_field_as(
        client_for,
        admin,
        WIDEN,
        {"id": gid, "input": {"regionCodes": ["75"]}, "reason": "MoU KPU 2026 diperluas"},
    )
    assert widened["errors"] == [] and widened["grant"]["regionCodes"] == ["75"]
    (entry,) = await _entries(grant_id, "partner_grant.widen")
    assert entry.change["reason"] == "MoU KPU 2026 diperluas"
    assert (entry.change["before"]["region_roots"], entry.change["after"]["region_roots"]) == (
        ["75.01"],
        ["75"],
    )


async def test_rotating_a_token_refuses_the_old_one_and_keeps_the_webhook(
    client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    old, grant_id = await _grant("Report.title")
    hooked = await set_webhook(
        grant_id,
        "https://partner.example/hook",
        actor="user:admin",
        key=settings.webhook_key,
        allow_private=True,
    )
    nonce = hooked.grant.webhook.secret_nonce if hooked.grant.webhook else None
    rotated = await gql_field_as(
        client_for, accounts["admin"].token, ROTATE, {"id": global_id("PartnerGrant", grant_id)}
    )
    assert rotated["errors"] == [] and rotated["token"] != old
    refused = await post_as(client_for, old, "{ viewer { name } }")
    assert refused["data"] is None and error_code(refused) == "INVALID_TOKEN"
    assert (await gql_as(client_for, rotated["token"], "{ viewer { kind } }"))["viewer"]["kind"] == "PARTNER"
    stored = await PartnerGrant.get(PydanticObjectId(grant_id))
    assert stored is not None and stored.webhook is not None and stored.webhook.secret_nonce == nonce
    assert grant_id in {str(grant.id) for grant in await webhook_grants(utcnow())}
    (entry,) = await _entries(grant_id, "partner_grant.rotate_token")
    assert entry.change == {
        "fields": ["token_hash"],
        "before": {"token_hash": SECRET_MARK},
        "after": {"token_hash": SECRET_MARK},
    }
    assert stored.token_hash not in str(entry.change)


HOSTILE = [
    (
        EXTEND,
        {"id": global_id("PartnerGrant", "no-such-id"), "at": "2027-01-01T00:00:00Z"},
        "GRANT_NOT_FOUND",
    ),
    (
        EXTEND,
        {"id": "UmVwb3J0OjY1ZjAwMDAwMDAwMDAwMDAwMDAwMDAwMA==", "at": "2027-01-01T00:00:00Z"},
        "GRANT_NOT_FOUND",
    ),
    (EXTEND, {"at": "2099-01-01T00:00:00Z"}, "INVALID_GRANT"),
    (EXTEND, {"at": "2001-01-01T00:00:00Z"}, "INVALID_GRANT"),
    (NARROW, {"input": {"fields": ["Report.noSuchField"]}}, "INVALID_GRANT"),
    (NARROW, {"input": {"fields": ["'; drop"]}}, "INVALID_GRANT"),
    (NARROW, {"input": {"regionCodes": ["99.99"]}}, "REGION_NOT_FOUND"),
    (NARROW, {"input": {"regionCodes": []}}, "INVALID_GRANT"),
    (NARROW, {"input": {}}, "INVALID_GRANT"),
    (WIDEN, {"input": {"fields": ["Report.title"]}, "reason": "x" * 501}, "INVALID_GRANT"),
]


@pytest.mark.parametrize(("mutation", "given", "code"), HOSTILE)
async def test_hostile_changes_get_typed_errors_and_change_nothing(
    mutation: str, given: dict[str, Any], code: str, client_for: Client, accounts: dict[str, Account]
) -> None:
    _, grant_id = await _grant("Report.title", "Case.title")
    before = await PartnerGrant.get(PydanticObjectId(grant_id))
    body = await post_as(
        client_for, accounts["admin"].token, mutation, {"id": global_id("PartnerGrant", grant_id)} | given
    )
    assert "errors" not in body, body
    payload = next(iter(body["data"].values()))
    assert payload["grant"] is None and [error["code"] for error in payload["errors"]] == [code]
    after = await PartnerGrant.get(PydanticObjectId(grant_id))
    assert after is not None and before is not None
    assert after.model_dump(exclude={"audit_pending"}) == before.model_dump(exclude={"audit_pending"})


async def test_a_revoked_grant_cannot_be_changed(client_for: Client, accounts: dict[str, Account]) -> None:
    _, grant_id = await _grant("Report.title")
    await revoke_grant(grant_id)
    gid = global_id("PartnerGrant", grant_id)
    for mutation, given in ((ROTATE, {}), (EXTEND, {"at": (utcnow() + timedelta(days=30)).isoformat()})):
        payload = await gql_field_as(client_for, accounts["admin"].token, mutation, {"id": gid} | given)
        assert [error["code"] for error in payload["errors"]] == ["GRANT_REVOKED"]


# ---- rotation on an open WebSocket ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(settings: Settings, seeded: Clients, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Checked every hour only: what ends the subscription is the grant read again before an event.
    with api_process(
        settings,
        tmp_path_factory.mktemp("partners") / "server.log",
        {"PANTAU_SUBSCRIPTION_RECHECK_SECONDS": "3600"},
    ) as base:
        yield base


async def test_a_rotated_token_ends_an_open_subscription_before_its_next_event(
    server: str, client_for: Client, accounts: dict[str, Account]
) -> None:
    live = await fresh(server)
    old, grant_id = await _grant("Report.title", roots=("31",))
    async with live_client(live, old) as client:
        await client.subscribe("incidents", "subscription { incidentCreated { title report { id } } }")
        await subscribers_reach(live, 1)
        rotated = await gql_field_as(
            client_for, accounts["admin"].token, ROTATE, {"id": global_id("PartnerGrant", grant_id)}
        )
        assert rotated["errors"] == []
        await file_incident(client_for, accounts["operator-31.74"], "31.74")
        code, reason = await client.closed()
    assert (code, reason) == (4403, "INVALID_TOKEN: the partner token is not valid")
    assert await PartnerRead.find({"grant_id": PydanticObjectId(grant_id)}).count() == 0  # nothing delivered
    async with live_client(live, rotated["token"]):  # the new token is acknowledged
        pass
