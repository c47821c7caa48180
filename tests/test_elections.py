"""Elections and their stages, island regions, and the support status per region and stage: which regions
have not signed their NPHD (or had logistics late), and which open cases say what is being done."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from beanie import PydanticObjectId
from starlette.applications import Starlette

from hub.access.grants import create_grant
from hub.audit.models import AuditEntry
from hub.cases.models import Case, CaseCategory, CaseStatus
from hub.elections.models import Election, ElectionKind, Stage
from hub.elections.services import upsert_stage
from hub.regions.models import Region
from hub.regions.seed import read_island_codes, read_rows, seed_regions
from hub.regions.services import get_regions
from hub.reports.models import Period, Report, ReportStatus, ReportType, RiskLevel
from tests.conftest import Account
from tests.graphql import Client, app_clients, global_id, gql, post, raw_id, region_id
from tests.mongo_commands import COMMANDS

RUN = uuid.uuid4().hex[:6]
STAGE = "distribusi-logistik"
DEADLINE = date(2026, 11, 15)
NOW = datetime.now(UTC)
JULY = datetime(2026, 7, 1, tzinfo=UTC)
LOGISTICS = CaseCategory.LOGISTICS

ELECTION_FIELDS = """id kind name year regionCodes regions { code }
  stages { code name startsOn endsOn logisticsDeadline }"""
CREATE = f"""mutation($input: ElectionCreateInput!) {{ electionCreate(input: $input) {{
  created clientMutationId election {{ {ELECTION_FIELDS} }} errors {{ field message code }} }} }}"""
UPSERT = f"""mutation($id: ID!, $input: ElectionStageInput!) {{ electionStageUpsert(id: $id, input: $input) {{
  created stage {{ code name }} election {{ {ELECTION_FIELDS} }} errors {{ field message code }} }} }}"""
ISLAND = """mutation($id: RegionCode!, $island: Boolean!) { regionIslandSet(id: $id, island: $island) {
  region { code island } errors { field code } } }"""
SUPPORT = """query($e: ID!, $s: String!, $f: ElectionSupportFilter, $first: Int, $after: String) {
  electionSupport(election: $e, stage: $s, filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { region { code name island } reported reportId nphdSigned nphdAmount nphdDisbursedPercent
      teamDecreeInPlace logisticsReadyPercent logisticsDeliveredOn logisticsDeadline logisticsOnTime
      openCases { id title category status dueAt overdue } } } }"""


def _stages(deadline: date = DEADLINE) -> list[dict[str, Any]]:
    return [
        {
            "code": "pemutakhiran-data",
            "name": "Pemutakhiran data pemilih",
            "startsOn": "2026-03-01",
            "endsOn": "2026-05-31",
        },
        {
            "code": STAGE,
            "name": "Distribusi logistik",
            "startsOn": "2026-10-01",
            "endsOn": "2026-11-26",
            "logisticsDeadline": deadline.isoformat(),
        },
    ]


def _refusal(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


async def _create(client: httpx.AsyncClient, **input: Any) -> dict[str, Any]:
    data = await gql(client, CREATE, {"input": input})
    result: dict[str, Any] = data["electionCreate"]
    return result


# ---- the world: an election, reports and cases inserted directly -------------------------------------------


@dataclass(frozen=True)
class World:
    election: str  # global id
    election_id: PydanticObjectId
    cases: dict[str, str]  # name → Case global id


async def _report(
    region: Region,
    election: PydanticObjectId | None,
    values: dict[str, Any],
    *,
    period: tuple[int, int] = (2026, 3),
    status: ReportStatus = ReportStatus.SUBMITTED,
    submitted_at: datetime | None = datetime(2026, 10, 1, tzinfo=UTC),
    stage: str = STAGE,
) -> Report:
    year, quarter = period
    report = Report(
        region_code=region.id,
        region_path=region.subtree_codes,
        type=ReportType.QUARTERLY,
        template_version=1,
        period=Period(year=year, quarter=quarter),
        period_key=f"{year}-Q{quarter}",
        title=f"Laporan triwulan {quarter} {year} {region.name}",
        values=values,
        election_id=election,
        stage_code=stage,
        status=status,
        author="user:tests",
        due_at=datetime(year, 10, 10, tzinfo=UTC),
        submitted_at=None if status is ReportStatus.DRAFT else submitted_at,
        needs_index=False,
    )
    await report.insert()
    return report


async def _case(
    region: Region,
    election: PydanticObjectId,
    title: str,
    *,
    category: CaseCategory = CaseCategory.NPHD,
    status: CaseStatus = CaseStatus.OPEN,
    due_at: datetime = NOW + timedelta(days=14),
    stage: str = STAGE,
) -> Case:
    case = Case(
        region_code=region.id,
        region_path=region.subtree_codes,
        title=title,
        description=f"{title} ({RUN})",
        category=category,
        severity=RiskLevel.MEDIUM,
        status=status,
        election_id=election,
        stage_code=stage,
        due_at=due_at,
        opened_by="user:tests",
        needs_index=False,
    )
    await case.insert()
    return case


def _signed(signed: bool, **more: Any) -> dict[str, Any]:
    return {"nphd_signed": signed, "team_decree_in_place": True, **more}


@pytest.fixture(scope="module")
async def world(app: Starlette, accounts: dict[str, Account]) -> AsyncIterator[World]:
    async with app_clients(app)(accounts["reviewer"].token) as reviewer:
        made, other = [
            await _create(reviewer, kind="PILKADA", name=name, year=2026, regionCodes=roots, stages=_stages())
            for name, roots in ((f"Pilkada 2026 {RUN}", ["31", "11"]), (f"Pilkada lain {RUN}", ["31"]))
        ]
    election = PydanticObjectId(raw_id(made["election"]["id"]))
    other_id = PydanticObjectId(raw_id(other["election"]["id"]))
    r = await get_regions(
        ["31", "31.01", "31.71", "31.72", "31.73", "31.75", "11.02", "11.03", "11.04", "32.01"]
    )
    reports = [
        await _report(r["31.71"], election, _signed(False, logistics_delivered_on="2026-11-10")),
        await _report(
            r["31.72"], election, _signed(True, nphd_amount=12_500_000_000, nphd_disbursed_percent=40)
        ),
        await _report(r["31.01"], election, _signed(True, logistics_delivered_on="2026-11-12")),
        await _report(r["31.75"], election, _signed(False), status=ReportStatus.DRAFT),
        await _report(r["31.73"], other_id, _signed(False)),  # another election's report
        await _report(r["11.02"], election, _signed(False), period=(2026, 2), submitted_at=JULY),
        await _report(r["11.02"], election, _signed(True), status=ReportStatus.VERIFIED),  # the latest
        await _report(r["11.03"], election, _signed(False), status=ReportStatus.VERIFIED),
        await _report(r["11.04"], election, _signed(False), status=ReportStatus.RETURNED),
        await _report(r["32.01"], election, _signed(False)),  # not a participating region
        await _report(r["31"], election, _signed(True)),  # the province's own report
    ]
    past = NOW - timedelta(days=3)
    cases = {
        "31.71 nphd": await _case(r["31.71"], election, "NPHD belum ditandatangani: rapat TAPD"),
        "31.71 logistics": await _case(r["31.71"], election, "Gudang logistik", category=LOGISTICS),
        "31.71 resolved": await _case(r["31.71"], election, "NPHD lama", status=CaseStatus.RESOLVED),
        "31.71 other stage": await _case(r["31.71"], election, "NPHD tahap lain", stage="pemutakhiran-data"),
        "31.71 other election": await _case(r["31.71"], other_id, "NPHD pilkada lain"),
        "11.03 nphd": await _case(
            r["11.03"], election, "Eskalasi NPHD ke Forkopimda", status=CaseStatus.IN_PROGRESS, due_at=past
        ),
        "31.01 logistics": await _case(r["31.01"], election, "Kapal logistik terlambat", category=LOGISTICS),
    }
    yield World(
        election=made["election"]["id"],
        election_id=election,
        cases={name: global_id("Case", case.id) for name, case in cases.items()},
    )
    await Report.find({"_id": {"$in": [report.id for report in reports]}}).delete()
    await Case.find({"_id": {"$in": [case.id for case in cases.values()]}}).delete()


async def _support(
    client: httpx.AsyncClient, world: World, stage: str = STAGE, **variables: Any
) -> dict[str, Any]:
    data = await gql(client, SUPPORT, {"e": world.election, "s": stage, **variables})
    result: dict[str, Any] = data["electionSupport"]
    return result


def _codes(page: dict[str, Any]) -> list[str]:
    return [node["region"]["code"] for node in page["nodes"]]


# ---- elections and their stages ----------------------------------------------------------------------------


async def test_an_election_is_created_with_its_regions_and_ordered_stages(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    retry = f"cm-{RUN}"
    async with client_for(accounts["reviewer"].token) as reviewer:
        made = await _create(
            reviewer,
            kind="PILKADA",
            name=f"  Pilkada  Serentak {RUN} ",
            year=2026,
            regionCodes=["31", "11", "31"],
            stages=list(reversed(_stages())),
            clientMutationId=retry,
        )
        assert made["errors"] == [] and made["created"] is True
        election = made["election"]
        assert (election["kind"], election["name"], election["year"]) == (
            "PILKADA",
            f"Pilkada Serentak {RUN}",
            2026,
        )
        assert election["regionCodes"] == ["11", "31"]
        assert [region["code"] for region in election["regions"]] == ["11", "31"]
        assert [stage["code"] for stage in election["stages"]] == ["pemutakhiran-data", STAGE]
        assert election["stages"][1] == {
            "code": STAGE,
            "name": "Distribusi logistik",
            "startsOn": "2026-10-01",
            "endsOn": "2026-11-26",
            "logisticsDeadline": "2026-11-15",
        }
        again = await _create(
            reviewer,
            kind="PILKADA",
            name=f"Pilkada Serentak {RUN}",
            year=2026,
            regionCodes=["31"],
            clientMutationId=retry,
        )
        assert (again["created"], again["election"]["id"]) == (False, election["id"])
        pemilu = await _create(reviewer, kind="PEMILU", name=f"Pemilu {RUN}", year=2029)
        assert pemilu["election"]["regionCodes"] == ["ID"]
    async with client_for(accounts["operator-11.01"].token) as operator:
        found = await gql(
            operator,
            'query($id: ID!) { node(id: $id) { ... on Election { name stage(code: "distribusi-logistik") '
            "{ logisticsDeadline } } } }",
            {"id": election["id"]},
        )
        assert found["node"] == {
            "name": f"Pilkada Serentak {RUN}",
            "stage": {"logisticsDeadline": "2026-11-15"},
        }
        listed = await gql(operator, "{ elections(first: 100) { totalCount nodes { id year } } }")
        ids = [node["id"] for node in listed["elections"]["nodes"]]
        assert election["id"] in ids and pemilu["election"]["id"] in ids
        assert ids.index(pemilu["election"]["id"]) < ids.index(election["id"])  # newest year first
    entries = await AuditEntry.find({"target": f"Election:{raw_id(election['id'])}"}).to_list()
    assert [(entry.actor, entry.action) for entry in entries] == [("user:reviewer", "election.create")]
    assert entries[0].change["regions"] == ["11", "31"]


async def test_elections_pages_walk_every_election_once(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    async with client_for(accounts["admin"].token) as admin:
        for year in (2030, 2031, 2032):
            await _create(admin, kind="PEMILU", name=f"Pemilu halaman {RUN}", year=year)
        seen: list[str] = []
        after = None
        while True:
            data = await gql(
                admin,
                "query($a: String) { elections(first: 2, after: $a) { totalCount"
                " pageInfo { hasNextPage endCursor } nodes { id year } } }",
                {"a": after},
            )
            page = data["elections"]
            seen += [node["id"] for node in page["nodes"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] == await Election.find_all().count()


async def test_only_central_staff_create_elections(client_for: Client, accounts: dict[str, Account]) -> None:
    for name in ("coordinator-31", "operator-31.74", "leader-31"):
        async with client_for(accounts[name].token) as client:
            body = await post(client, CREATE, {"input": {"kind": "PEMILU", "name": f"x {RUN}", "year": 2029}})
            assert _refusal(body) == "PERMISSION_DENIED"
    assert await Election.find({"name": f"x {RUN}"}).count() == 0


def _stage(**changes: Any) -> dict[str, Any]:
    return {**_stages()[1], **changes}


REFUSED_CREATIONS = [
    ({"stages": [_stage(endsOn="2026-09-30")]}, "stages[0].endsOn", "INVALID_DATES"),
    ({"stages": [_stage(logisticsDeadline="2026-12-01")]}, "stages[0].logisticsDeadline", "INVALID_DATES"),
    ({"stages": [_stage(), _stage(code=" Distribusi-Logistik ")]}, "stages[1].code", "DUPLICATE_STAGE"),
    ({"stages": [_stage(code="distribusi logistik")]}, "stages[0].code", "INVALID_STAGE"),
    ({"stages": [_stage(name="  ")]}, "stages[0].name", "INVALID_STAGE"),
    ({"regionCodes": ["31", "99.99"]}, "regionCodes", "REGION_NOT_FOUND"),
    ({"regionCodes": []}, "regionCodes", "INVALID_ELECTION"),
    ({"kind": "PEMILU", "regionCodes": ["31"]}, "regionCodes", "INVALID_ELECTION"),
    ({"year": 1990}, "year", "INVALID_ELECTION"),
    ({"name": " "}, "name", "INVALID_ELECTION"),
]


@pytest.mark.parametrize(("changes", "field", "code"), REFUSED_CREATIONS)
async def test_bad_elections_are_refused_and_change_nothing(
    client_for: Client, accounts: dict[str, Account], changes: dict[str, Any], field: str, code: str
) -> None:
    elections, audited = await Election.find_all().count(), await AuditEntry.find_all().count()
    base = {
        "kind": "PILKADA",
        "name": f"Ditolak {RUN}",
        "year": 2026,
        "regionCodes": ["31"],
        "stages": _stages(),
    }
    async with client_for(accounts["reviewer"].token) as reviewer:
        result = await _create(reviewer, **{**base, **changes})
    assert result["election"] is None
    assert [(error["field"], error["code"]) for error in result["errors"]] == [(field, code)]
    assert (await Election.find_all().count(), await AuditEntry.find_all().count()) == (elections, audited)


async def test_a_second_election_with_the_same_kind_year_and_name_is_refused(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    async with client_for(accounts["admin"].token) as admin:
        first = await _create(admin, kind="PILKADA", name=f"Kembar {RUN}", year=2026, regionCodes=["31"])
        second = await _create(admin, kind="PILKADA", name=f"Kembar {RUN}", year=2026, regionCodes=["11"])
    assert first["errors"] == []
    assert [(error["field"], error["code"]) for error in second["errors"]] == [("name", "DUPLICATE_ELECTION")]
    assert await Election.find({"name": f"Kembar {RUN}"}).count() == 1


async def test_stages_are_added_and_replaced_by_code(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    voting = {
        "code": "pemungutan-suara",
        "name": "Pemungutan suara",
        "startsOn": "2026-11-27",
        "endsOn": "2026-11-27",
    }
    async with client_for(accounts["reviewer"].token) as reviewer:
        made = await _create(reviewer, kind="PILKADA", name=f"Tahapan {RUN}", year=2026, regionCodes=["31"])
        election_id = made["election"]["id"]
        added = (await gql(reviewer, UPSERT, {"id": election_id, "input": voting}))["electionStageUpsert"]
        assert (added["created"], added["errors"], added["stage"]["code"]) == (True, [], "pemungutan-suara")
        for stage in _stages():
            await gql(reviewer, UPSERT, {"id": election_id, "input": stage})
        renamed = {**_stages()[1], "name": "Distribusi logistik tahap 2", "logisticsDeadline": "2026-11-20"}
        replaced = (await gql(reviewer, UPSERT, {"id": election_id, "input": renamed}))["electionStageUpsert"]
        assert replaced["created"] is False
        stages = replaced["election"]["stages"]
        assert [stage["code"] for stage in stages] == ["pemutakhiran-data", STAGE, "pemungutan-suara"]
        assert (stages[1]["name"], stages[1]["logisticsDeadline"]) == (
            "Distribusi logistik tahap 2",
            "2026-11-20",
        )

        stored = await Election.get(PydanticObjectId(raw_id(election_id)))
        refusals = [
            (election_id, {**voting, "endsOn": "2026-11-26"}, ("stage.endsOn", "INVALID_DATES")),
            (election_id, {**voting, "code": "Pemungutan Suara!"}, ("stage.code", "INVALID_STAGE")),
            (region_id("31"), voting, ("id", "ELECTION_NOT_FOUND")),
            (global_id("Election", "nope"), voting, ("id", "ELECTION_NOT_FOUND")),
        ]
        for target, stage, expected in refusals:
            result = (await gql(reviewer, UPSERT, {"id": target, "input": stage}))["electionStageUpsert"]
            assert [(error["field"], error["code"]) for error in result["errors"]] == [expected]
        assert await Election.get(PydanticObjectId(raw_id(election_id))) == stored
    async with client_for(accounts["coordinator-31"].token) as coordinator:
        body = await post(coordinator, UPSERT, {"id": election_id, "input": voting})
        assert _refusal(body) == "PERMISSION_DENIED"
    entries = await AuditEntry.find(
        {"target": f"Election:{raw_id(election_id)}", "action": "election.stage_upsert"}
    ).to_list()
    assert len(entries) == 4
    assert entries[-1].change["replaced"]["name"] == "Distribusi logistik"
    assert entries[-1].change["stage"]["logistics_deadline"] == "2026-11-20"


async def test_concurrent_stage_upserts_all_land(client_for: Client, accounts: dict[str, Account]) -> None:
    async with client_for(accounts["admin"].token) as admin:
        made = await _create(admin, kind="PILKADA", name=f"Serentak {RUN}", year=2026, regionCodes=["11"])
    election_id = raw_id(made["election"]["id"])
    stages = [
        Stage(code=f"tahap-{n}", name=f"Tahap {n}", starts_on=date(2026, n, 1), ends_on=date(2026, n, 20))
        for n in (1, 2, 3)
    ]
    await asyncio.gather(*(upsert_stage(election_id, stage) for stage in stages))
    stored = await Election.get(PydanticObjectId(election_id))
    assert stored is not None and [stage.code for stage in stored.stages] == ["tahap-1", "tahap-2", "tahap-3"]
    assert stored.version == 4


# ---- island regions ----------------------------------------------------------------------------------------


async def test_island_regions_are_seeded_from_the_shipped_list(http: httpx.AsyncClient) -> None:
    islands = read_island_codes()
    heuristic = {
        row.code for row in read_rows() if "Kepulauan" in row.name and row.level.value in ("regency", "city")
    }
    assert islands == heuristic and len(islands) == 16 and "31.01" in islands
    assert {region.id for region in await Region.find({"island": True}).to_list()} == islands
    data = await gql(http, '{ a: region(code: "31.01") { island } b: region(code: "31.71") { island } }')
    assert data == {"a": {"island": True}, "b": {"island": False}}


# ---- support status ----------------------------------------------------------------------------------------


async def test_regions_that_have_not_signed_their_nphd_come_with_what_is_being_done(
    client_for: Client, accounts: dict[str, Account], world: World
) -> None:
    async with client_for(accounts["reviewer"].token) as reviewer:
        page = await _support(reviewer, world, f={"nphdSigned": False})
    assert (_codes(page), page["totalCount"]) == (["11.03", "31.71"], 2)
    aceh, jakarta = page["nodes"]
    assert (aceh["reported"], aceh["nphdSigned"], jakarta["nphdSigned"]) == (True, False, False)
    # Only the NPHD cases: not the logistics one, the resolved one, another stage's or another election's.
    assert jakarta["openCases"] == [
        {
            "id": world.cases["31.71 nphd"],
            "title": "NPHD belum ditandatangani: rapat TAPD",
            "category": "NPHD",
            "status": "OPEN",
            "dueAt": jakarta["openCases"][0]["dueAt"],
            "overdue": False,
        }
    ]
    assert [(case["id"], case["status"], case["overdue"]) for case in aceh["openCases"]] == [
        (world.cases["11.03 nphd"], "IN_PROGRESS", True)
    ]


async def test_each_region_shows_what_its_latest_counted_report_says(
    client_for: Client, accounts: dict[str, Account], world: World
) -> None:
    async with client_for(accounts["reviewer"].token) as reviewer:
        jakarta = await _support(reviewer, world, f={"region": "31"})
        aceh = await _support(reviewer, world, f={"region": "11"}, first=100)
        everything = await gql(
            reviewer,
            'query($e: ID!) { electionSupport(election: $e, stage: "distribusi-logistik",'
            ' filter: {region: "31.71"}) { nodes { openCases(categories: [NPHD, LOGISTICS]) { title }'
            " all: openCases { title } } } }",
            {"e": world.election},
        )
    assert _codes(jakarta) == ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    rows = {node["region"]["code"]: node for node in jakarta["nodes"] + aceh["nodes"]}
    assert rows["31.72"]["nphdAmount"] == 12_500_000_000
    assert (rows["31.72"]["nphdDisbursedPercent"], rows["31.72"]["teamDecreeInPlace"]) == (40, True)
    stored = await Report.find_one({"region_code": "31.72", "election_id": world.election_id})
    assert stored is not None and rows["31.72"]["reportId"] == global_id("Report", stored.id)
    assert rows["31.71"]["logisticsDeliveredOn"] == "2026-11-10"
    assert (rows["31.71"]["logisticsDeadline"], rows["31.71"]["logisticsOnTime"]) == ("2026-11-15", True)
    # Not counted: another election's report (31.73), a draft (31.75), a returned one (11.04), none (31.74).
    for code in ("31.73", "31.74", "31.75", "11.04"):
        row = rows[code]
        assert (row["reported"], row["reportId"], row["nphdSigned"], row["teamDecreeInPlace"]) == (
            False,
            None,
            None,
            None,
        ), code
        assert row["logisticsDeadline"] == "2026-11-15" and row["logisticsOnTime"] is None
    assert rows["11.02"]["nphdSigned"] is True  # the later of its two reports
    assert aceh["totalCount"] == len([row for row in read_rows() if row.parent_code == "11"])
    titles = everything["electionSupport"]["nodes"][0]
    assert [case["title"] for case in titles["all"]] == [
        "NPHD belum ditandatangani: rapat TAPD",
        "Gudang logistik",
    ]
    assert titles["openCases"] == titles["all"]


async def test_regions_without_a_report_are_found_with_reported_false_page_by_page(
    client_for: Client, accounts: dict[str, Account], world: World
) -> None:
    participating = [row.code for row in read_rows() if row.parent_code in ("11", "31")]
    expected = sorted(set(participating) - {"31.01", "31.71", "31.72", "11.02", "11.03"})
    seen: list[str] = []
    after = None
    async with client_for(accounts["reviewer"].token) as reviewer:
        while True:
            page = await _support(reviewer, world, f={"reported": False}, first=10, after=after)
            assert page["totalCount"] == len(expected)
            seen += _codes(page)
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        provinces = await _support(reviewer, world, f={"level": "PROVINCE"})
        reported = await _support(reviewer, world, f={"reported": True, "teamDecreeInPlace": True})
    assert seen == expected
    assert _codes(provinces) == ["11", "31"]
    assert [node["nphdSigned"] for node in provinces["nodes"]] == [None, True]
    assert _codes(reported) == ["11.02", "11.03", "31.01", "31.71", "31.72"]


async def test_island_regions_need_their_logistics_a_week_early(
    client_for: Client, accounts: dict[str, Account], world: World
) -> None:
    async with (
        client_for(accounts["reviewer"].token) as reviewer,
        client_for(accounts["admin"].token) as admin,
    ):
        late = await _support(reviewer, world, f={"logisticsOnTime": False})
        assert _codes(late) == ["31.01"]  # delivered 12 November: the deadline is 15, for islands 8 November
        seribu = late["nodes"][0]
        assert (seribu["region"]["island"], seribu["logisticsDeadline"]) == (True, "2026-11-08")
        assert [case["title"] for case in seribu["openCases"]] == ["Kapal logistik terlambat"]
        try:
            changed = await gql(admin, ISLAND, {"id": region_id("31.01"), "island": False})
            assert changed["regionIslandSet"] == {"region": {"code": "31.01", "island": False}, "errors": []}
            await seed_regions()  # a flag set by hand survives seeding
            on_time = await _support(reviewer, world, f={"logisticsOnTime": True})
            assert _codes(on_time) == ["31.01", "31.71"]
            assert on_time["nodes"][0]["logisticsDeadline"] == "2026-11-15"
        finally:
            await gql(admin, ISLAND, {"id": region_id("31.01"), "island": True})
        assert _codes(await _support(reviewer, world, f={"logisticsOnTime": False})) == ["31.01"]
        unknown = await gql(admin, ISLAND, {"id": region_id("99.99"), "island": True})
        assert unknown["regionIslandSet"] == {
            "region": None,
            "errors": [{"field": "id", "code": "REGION_NOT_FOUND"}],
        }
        refused = await post(reviewer, ISLAND, {"id": region_id("31.01"), "island": False})
        assert _refusal(refused) == "PERMISSION_DENIED"
    entries = await AuditEntry.find({"target": "Region:31.01", "action": "region.island_set"}).to_list()
    assert [entry.change for entry in entries[-2:]] == [
        {"island": False, "previous": True},
        {"island": True, "previous": False},
    ]
    assert all(entry.actor == "user:admin" for entry in entries[-2:])


SCOPED = [
    ("coordinator-31", {}, ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]),
    ("coordinator-31", {"nphdSigned": False}, ["31.71"]),
    ("coordinator-31", {"region": "11"}, []),
    ("coordinator-31", {"level": "PROVINCE"}, ["31"]),
    ("leader-31", {"nphdSigned": True}, ["31.01", "31.72"]),
    ("operator-11.01", {}, ["11.01"]),
    ("operator-11.01", {"nphdSigned": False}, []),
    ("operator-11.01", {"level": "PROVINCE"}, []),
    ("operator-31.74", {}, ["31.74"]),
]


@pytest.mark.parametrize(("account", "wanted", "codes"), SCOPED)
async def test_each_viewer_sees_only_the_regions_in_its_scope(
    client_for: Client,
    accounts: dict[str, Account],
    world: World,
    account: str,
    wanted: dict[str, Any],
    codes: list[str],
) -> None:
    async with client_for(accounts[account].token) as client:
        page = await _support(client, world, f=wanted)
    assert (_codes(page), page["totalCount"]) == (codes, len(codes))


async def test_partners_anonymous_callers_and_bad_arguments_are_refused(
    client_for: Client, accounts: dict[str, Account], world: World
) -> None:
    grant = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=["Election.name"],
        expires_at=NOW + timedelta(days=1),
    )
    variables = {"e": world.election, "s": STAGE}
    async with client_for(grant.token) as partner, client_for(None) as anonymous:
        # Issue 16: partners read support rows through the RegionSupport fields their grant lists; this grant
        # lists none of them, so it is still refused, before anything runs.
        assert _refusal(await post(partner, SUPPORT, variables)) == "FIELD_NOT_GRANTED"
        assert _refusal(await post(anonymous, SUPPORT, variables)) == "UNAUTHENTICATED"
    async with client_for(accounts["reviewer"].token) as reviewer:
        mistakes: list[tuple[dict[str, Any], str]] = [
            ({"s": "tidak-ada"}, "the election has no stage 'tidak-ada'"),
            ({"f": {"region": "99"}}, "no region has the code '99'"),
            ({"e": region_id("31")}, "`election` must be an Election id"),
            ({"e": global_id("Election", PydanticObjectId())}, "no election has this id"),
            ({"after": "bm9wZQ=="}, "is not valid here"),
        ]
        for changes, message in mistakes:
            body = await post(reviewer, SUPPORT, {**variables, **changes})
            assert message in body["errors"][0]["message"], body


# ---- cost: a bounded number of MongoDB commands whatever the number of regions -----------------------------


async def _election_with_reports(roots: list[str]) -> tuple[str, list[PydanticObjectId]]:
    """An election over `roots` with a report and an open NPHD case in each of its regencies and cities."""
    stage = Stage(
        code=STAGE,
        name="Distribusi logistik",
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 11, 26),
        logistics_deadline=DEADLINE,
    )
    made = Election(
        kind=ElectionKind.PILKADA,
        name=f"Biaya {'+'.join(roots)} {RUN}",
        year=2026,
        region_roots=roots,
        stages=[stage],
        created_by="user:tests",
    )
    await made.insert()
    assert made.id is not None
    regions = await Region.find(
        {"ancestors": {"$in": roots}, "level": {"$in": ["regency", "city"]}}
    ).to_list()
    made_ids: list[PydanticObjectId] = []
    for number, region in enumerate(regions):
        values = _signed(number % 2 == 0, logistics_delivered_on="2026-11-01")
        report = await _report(region, made.id, values, period=(2026, 1))
        case = await _case(region, made.id, f"NPHD {region.name}")
        assert report.id is not None and case.id is not None
        made_ids += [report.id, case.id]
    return global_id("Election", made.id), made_ids


async def test_the_support_query_costs_the_same_for_5_and_62_regions(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    small, small_ids = await _election_with_reports(["34"])  # DI Yogyakarta: 5 regencies and cities
    large, large_ids = await _election_with_reports(["32", "33"])  # Jawa Barat and Jawa Tengah: 62
    commands: list[dict[str, int]] = []
    totals: list[int] = []
    try:
        async with client_for(accounts["reviewer"].token) as reviewer:
            for election in (small, large):
                COMMANDS.reset()
                data = await gql(reviewer, SUPPORT, {"e": election, "s": STAGE, "first": 100})
                commands.append(dict(COMMANDS.counts))
                totals.append(data["electionSupport"]["totalCount"])
                assert all(node["openCases"] for node in data["electionSupport"]["nodes"])
    finally:
        await Report.find({"_id": {"$in": small_ids + large_ids}}).delete()
        await Case.find({"_id": {"$in": small_ids + large_ids}}).delete()
    assert totals == [5, 62]
    assert commands[0] == commands[1], commands
    # The viewer's user and session, the election, then one find each for regions, reports and cases.
    assert sum(commands[0].values()) <= 6, commands
