"""Dashboards on a seeded data set in Sulawesi Barat (76, no other test's region) in March 2038: exact
incident counts by severity, category, child region and ISO week, open and overdue cases, reporting and
on-time rates, election-stage support and early warnings; scoping (a regency operator sees its own figures
and is refused its province, a partner is refused); a bounded number of queries whatever the region; GeoJSON
for incident points and region centres."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from hub.access.grants import create_grant
from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.cases.models import Case, CaseCategory, CaseStatus
from hub.clients import Clients
from hub.completeness.models import RequirementKind
from hub.completeness.services import create_requirement
from hub.core.clock import utcnow
from hub.elections.models import ElectionKind, Stage
from hub.elections.services import create_election
from hub.regions.centroid_build import representative_point
from hub.regions.models import RegionLevel
from hub.regions.seed import read_centroids, read_rows
from hub.reports import templates as codes
from hub.reports.models import (
    IncidentCategory,
    IncidentDetails,
    Period,
    Report,
    ReportStatus,
    ReportType,
    RiskLevel,
)
from hub.settings import Settings
from tests.conftest import TEST_PASSWORD
from tests.graphql import Client, global_id, gql_as, post_as
from tests.mongo_commands import COMMANDS

WIB = "+07:00"
FROM, TO = f"2038-03-01T00:00:00{WIB}", f"2038-03-29T00:00:00{WIB}"  # four ISO weeks, W09-W12
STAGE = "pemungutan-suara"


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2038, month, day, hour, tzinfo=UTC)


def path(code: str) -> list[str]:
    return ["ID", code] if "." not in code else ["ID", code.split(".")[0], code]


@dataclass(frozen=True)
class World:
    tokens: dict[str, str]
    election_id: str


async def _incident(
    code: str,
    when: datetime,
    category: IncidentCategory,
    severity: RiskLevel,
    *,
    where: tuple[float, float] | None = None,
    status: ReportStatus = ReportStatus.SUBMITTED,
) -> None:
    await Report(
        region_code=code,
        region_path=path(code),
        type=ReportType.INCIDENT,
        template_version=1,
        period_key=f"incident:{code}:{when.isoformat()}:{category.value}:{severity.value}:{status.value}",
        title=f"Kejadian {category.value} {code}",
        incident=IncidentDetails(
            category=category,
            severity=severity,
            occurred_at=when,
            latitude=where[0] if where else None,
            longitude=where[1] if where else None,
        ),
        status=status,
        author="user:seed",
        due_at=when + timedelta(days=1),
        needs_index=False,
    ).insert()


async def _incidents() -> None:
    d, c, n, s = (
        IncidentCategory.DEMONSTRATION,
        IncidentCategory.CONFLICT,
        IncidentCategory.NEUTRALITY_BREACH,
        IncidentCategory.SECURITY_DISTURBANCE,
    )
    low, medium, high, critical = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL
    await _incident("76.01", at(3, 2), d, low, where=(-1.5, 119.5))
    await _incident("76.01", at(3, 9), c, high)
    await _incident("76.02", at(3, 3), d, medium, where=(-2.68, 118.89))
    await _incident("76.02", at(3, 16), n, low, where=(-2.61, 118.95))
    await _incident("76.02", at(3, 23), d, critical)
    for day in range(22, 28):  # a spike in the last week: an early warning
        await _incident("76.04", at(3, day), c, medium)
    await _incident("76", at(3, 10), s, high)  # filed by the province itself
    # Not counted: a draft, before the range, after it (08:00 WIB on 29 March), outside the region.
    await _incident("76.03", at(3, 5), d, high, status=ReportStatus.DRAFT)
    await _incident("76.05", at(2, 20), d, high)
    await _incident("76.06", at(3, 29, 1), d, high)
    await _incident("75.01", at(3, 5), d, high, where=(0.6, 123.0))


async def _case(
    code: str,
    category: CaseCategory,
    severity: RiskLevel,
    due_in_days: int,
    status: CaseStatus = CaseStatus.OPEN,
    election_id: Any = None,
) -> None:
    await Case(
        region_code=code,
        region_path=path(code),
        title=f"Kendala {category.value} {code}",
        description="Kendala.",
        category=category,
        severity=severity,
        status=status,
        election_id=election_id,
        stage_code=STAGE if election_id else None,
        due_at=utcnow() + timedelta(days=due_in_days),
        opened_by="user:seed",
        needs_index=False,
    ).insert()


async def _quarterly(
    code: str, submitted: datetime | None, status: ReportStatus, election: Any, **values: Any
) -> None:
    await Report(
        region_code=code,
        region_path=path(code),
        type=ReportType.QUARTERLY,
        template_version=1,
        period=Period(year=2038, quarter=1),
        period_key="2038-Q1",
        title=f"Triwulan I 2038 {code}",
        values=values,
        election_id=election.id,
        stage_code=STAGE,
        status=status,
        author="user:seed",
        first_submitted_at=submitted,
        submitted_at=submitted,
        due_at=at(4, 15),
        needs_index=False,
    ).insert()


async def _user_token(settings: Settings, username: str, role: Role, region: str) -> str:
    await create_user(username=username, password=TEST_PASSWORD, role=role, region_code=region)
    return (await login(settings, username, TEST_PASSWORD)).access_token


@pytest.fixture(scope="module")
async def world(seeded: Clients, settings: Settings, accounts: dict[str, Any]) -> World:
    await _incidents()
    election, _ = await create_election(
        actor="user:admin",
        kind=ElectionKind.PILKADA,
        name="Pilkada Sulawesi Barat 2038",
        year=2038,
        region_codes=["76"],
        stages=[
            Stage(
                code=STAGE,
                name="Pemungutan suara",
                starts_on=date(2038, 3, 1),
                ends_on=date(2038, 4, 30),
                logistics_deadline=date(2038, 3, 20),
            )
        ],
    )
    await _case("76.01", CaseCategory.LOGISTICS, RiskLevel.HIGH, 10, election_id=election.id)
    await _case("76.01", CaseCategory.NPHD, RiskLevel.MEDIUM, -3, CaseStatus.IN_PROGRESS, election.id)
    await _case("76.02", CaseCategory.SECURITY, RiskLevel.CRITICAL, -1)
    await _case("76.02", CaseCategory.LOGISTICS, RiskLevel.LOW, -5, CaseStatus.RESOLVED)
    await _case("76", CaseCategory.PERSONNEL, RiskLevel.LOW, 20)
    await _case("75.01", CaseCategory.SECURITY, RiskLevel.HIGH, -2)
    await create_requirement(
        actor="user:admin",
        period_key="2038-Q1",
        kind=RequirementKind.REPORT,
        levels=[RegionLevel.REGENCY, RegionLevel.CITY],
        due_at=at(4, 15),
        title="Laporan triwulan I 2038",
        report_type=ReportType.QUARTERLY,
    )
    await _quarterly(
        "76.01",
        at(4, 10),
        ReportStatus.VERIFIED,
        election,
        **{
            codes.NPHD_SIGNED: True,
            codes.NPHD_DISBURSED_PERCENT: 100,
            codes.LOGISTICS_READY_PERCENT: 100,
            codes.LOGISTICS_DELIVERED_ON: "2038-03-15",
            codes.TEAM_DECREE_IN_PLACE: True,
        },
    )
    await _quarterly(
        "76.02",
        at(4, 20),
        ReportStatus.SUBMITTED,
        election,
        **{
            codes.NPHD_SIGNED: True,
            codes.NPHD_DISBURSED_PERCENT: 50,
            codes.LOGISTICS_READY_PERCENT: 80,
            codes.LOGISTICS_DELIVERED_ON: "2038-03-25",
            codes.TEAM_DECREE_IN_PLACE: False,
        },
    )
    await _quarterly("76.03", None, ReportStatus.DRAFT, election, **{codes.NPHD_SIGNED: True})
    partner = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["76"],
        fields=["Report.title"],
        expires_at=utcnow() + timedelta(days=30),
    )
    tokens = {
        "reviewer": accounts["reviewer"].token,
        "leader-76": await _user_token(settings, "dash-leader-76", Role.LEADER, "76"),
        "operator-76.02": await _user_token(settings, "dash-operator-76.02", Role.OPERATOR, "76.02"),
        "partner-76": partner.token,
    }
    return World(tokens=tokens, election_id=str(election.id))


FIGURES = "expected delivered onTime late missing verified reportingRate onTimeRate"
DASHBOARD = f"""query($region: RegionCode, $from: DateTime, $to: DateTime, $election: ID!) {{
  dashboard(region: $region, from: $from, to: $to) {{
    region {{ code }} from to
    incidents {{ total filedAtRegion bySeverity {{ severity count }} byCategory {{ category count }}
      byRegion {{ region {{ code }} count }} byWeek {{ weekStart isoWeek count }} }}
    cases {{ open overdue byCategory {{ category open overdue }} bySeverity {{ severity open overdue }} }}
    completeness(periods: ["2038-Q1"]) {{ total {{ {FIGURES} }}
      rows {{ region {{ code }} figures {{ {FIGURES} }} }} }}
    electionSupport(election: $election, stage: "{STAGE}") {{ regions reported nphdSigned nphdDisbursed
      logisticsReady logisticsOnTime logisticsLate teamDecreeInPlace openCases overdueCases }}
    earlyWarnings {{ region {{ code }} recentCount baselineMean score }} }} }}"""


def _nonzero(rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    return {row[key]: row["count"] for row in rows if row["count"]}


async def _dashboard(client_for: Client, world: World, who: str, region: str | None) -> dict[str, Any]:
    variables = {"region": region, "from": FROM, "to": TO, "election": _election_gid(world)}
    data = await gql_as(client_for, world.tokens[who], DASHBOARD, variables)
    dashboard: dict[str, Any] = data["dashboard"]
    return dashboard


def _election_gid(world: World) -> str:
    return global_id("Election", world.election_id)


async def test_province_figures(client_for: Client, world: World) -> None:
    dashboard = await _dashboard(client_for, world, "reviewer", "76")
    assert dashboard["region"] == {"code": "76"}
    assert datetime.fromisoformat(dashboard["from"]) == datetime.fromisoformat(FROM)
    incidents = dashboard["incidents"]
    assert (incidents["total"], incidents["filedAtRegion"]) == (12, 1)
    assert {row["severity"]: row["count"] for row in incidents["bySeverity"]} == {
        "LOW": 2,
        "MEDIUM": 7,
        "HIGH": 2,
        "CRITICAL": 1,
    }
    assert _nonzero(incidents["byCategory"], "category") == {
        "DEMONSTRATION": 3,
        "CONFLICT": 7,
        "NEUTRALITY_BREACH": 1,
        "SECURITY_DISTURBANCE": 1,
    }
    assert len(incidents["byCategory"]) == len(IncidentCategory)
    assert [(row["region"]["code"], row["count"]) for row in incidents["byRegion"]] == [
        ("76.01", 2),
        ("76.02", 3),
        ("76.03", 0),
        ("76.04", 6),
        ("76.05", 0),
        ("76.06", 0),
    ]
    assert [(week["isoWeek"], week["count"]) for week in incidents["byWeek"]] == [
        ("2038-W09", 2),
        ("2038-W10", 2),
        ("2038-W11", 1),
        ("2038-W12", 7),
    ]
    assert datetime.fromisoformat(incidents["byWeek"][0]["weekStart"]) == datetime.fromisoformat(FROM)

    cases = dashboard["cases"]
    assert (cases["open"], cases["overdue"]) == (4, 2)
    assert {row["category"]: (row["open"], row["overdue"]) for row in cases["byCategory"] if row["open"]} == {
        "LOGISTICS": (1, 0),
        "NPHD": (1, 1),
        "SECURITY": (1, 1),
        "PERSONNEL": (1, 0),
    }
    assert {row["severity"]: (row["open"], row["overdue"]) for row in cases["bySeverity"]} == {
        "LOW": (1, 0),
        "MEDIUM": (1, 1),
        "HIGH": (1, 0),
        "CRITICAL": (1, 1),
    }

    total = dashboard["completeness"]["total"]
    assert (total["expected"], total["delivered"], total["onTime"], total["late"], total["verified"]) == (
        6,
        2,
        1,
        1,
        1,
    )
    assert (total["reportingRate"], total["onTimeRate"]) == (pytest.approx(2 / 6), pytest.approx(1 / 6))
    rows = {row["region"]["code"]: row["figures"]["delivered"] for row in dashboard["completeness"]["rows"]}
    assert rows == {"76.01": 1, "76.02": 1, "76.03": 0, "76.04": 0, "76.05": 0, "76.06": 0}

    assert dashboard["electionSupport"] == {
        "regions": 6,
        "reported": 2,
        "nphdSigned": 2,
        "nphdDisbursed": 1,
        "logisticsReady": 1,
        "logisticsOnTime": 1,
        "logisticsLate": 1,
        "teamDecreeInPlace": 1,
        "openCases": 2,
        "overdueCases": 1,
    }
    assert dashboard["earlyWarnings"] == [
        {"region": {"code": "76.04"}, "recentCount": 6, "baselineMean": 0.0, "score": 6.0}
    ]


async def test_a_leader_sees_its_province_by_default(client_for: Client, world: World) -> None:
    mine = await _dashboard(client_for, world, "leader-76", None)
    theirs = await _dashboard(client_for, world, "reviewer", "76")
    assert mine == theirs


async def test_a_regency_operator_sees_only_its_own_numbers(client_for: Client, world: World) -> None:
    dashboard = await _dashboard(client_for, world, "operator-76.02", None)
    assert dashboard["region"] == {"code": "76.02"}
    incidents = dashboard["incidents"]
    assert (incidents["total"], incidents["filedAtRegion"], incidents["byRegion"]) == (3, 3, [])
    assert _nonzero(incidents["bySeverity"], "severity") == {"LOW": 1, "MEDIUM": 1, "CRITICAL": 1}
    assert [week["count"] for week in incidents["byWeek"]] == [1, 0, 1, 1]
    assert (dashboard["cases"]["open"], dashboard["cases"]["overdue"]) == (1, 1)
    total = dashboard["completeness"]["total"]
    assert (total["expected"], total["delivered"], total["late"]) == (1, 1, 1)
    support = dashboard["electionSupport"]
    assert (support["regions"], support["reported"], support["nphdDisbursed"], support["logisticsLate"]) == (
        1,
        1,
        0,
        1,
    )
    assert support["openCases"] == 0
    assert dashboard["earlyWarnings"] == []


@pytest.mark.parametrize(("region", "own"), [("76", 3), ("ID", 3), ("75.01", 0)])
async def test_other_regions_answer_what_the_operator_may_see_there(
    client_for: Client, world: World, region: str, own: int
) -> None:
    """Out of scope answers as in every query: what the viewer may see there (its own regency's incidents
    under its province or the nation; nothing elsewhere), never an error, never another region's data."""
    dashboard = await _dashboard(client_for, world, "operator-76.02", region)
    assert dashboard["region"] == {"code": region}
    assert dashboard["incidents"]["total"] == own
    assert {row["region"]["code"] for row in dashboard["incidents"]["byRegion"] if row["count"]} <= {
        "76",
        "76.02",
    }
    assert dashboard["cases"]["open"] == (1 if own else 0)
    points = await gql_as(
        client_for,
        world.tokens["operator-76.02"],
        "query($region: RegionCode, $from: DateTime, $to: DateTime) {"
        " incidentPoints(region: $region, from: $from, to: $to) }",
        {"region": region, "from": FROM, "to": TO},
    )
    regions = {feature["properties"]["regionCode"] for feature in points["incidentPoints"]["features"]}
    assert regions <= {"76.02"}


async def test_an_unknown_region_is_region_not_found_everywhere(client_for: Client, world: World) -> None:
    token = world.tokens["reviewer"]
    for query in (
        '{ dashboard(region: "99.99") { incidents { total } } }',
        '{ incidentPoints(region: "99.99") }',
        '{ regionCentroids(parent: "99") }',
        '{ completeness(periods: ["2038-Q1"], region: "99.99") { total { expected } } }',
        '{ reports(filter: {region: "99.99"}) { totalCount } }',
        '{ search(filter: {region: "99.99"}) { totalCount } }',
    ):
        body = await post_as(client_for, token, query, {})
        assert body["data"] is None, query
        assert [error["extensions"]["code"] for error in body["errors"]] == ["REGION_NOT_FOUND"], query


@pytest.mark.parametrize("field", ["dashboard { region { code } }", 'incidentPoints(region: "76")'])
async def test_partners_are_refused(client_for: Client, world: World, field: str) -> None:
    body = await post_as(client_for, world.tokens["partner-76"], f"query {{ {field} }}", {})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


async def test_bad_input_is_refused(client_for: Client, world: World) -> None:
    token = world.tokens["reviewer"]
    for query, message in (
        ('query { dashboard(region: "99.99") { region { code } } }', "no region has the code"),
        (f'query {{ dashboard(from: "{TO}", to: "{FROM}") {{ region {{ code }} }} }}', "must be before"),
        ('query { dashboard(from: "2000-01-01T00:00:00Z") { region { code } } }', "at most"),
        ("query { incidentPoints(first: 0) }", "between 1 and"),
        ("query { dashboard { completeness(periods: []) { total { expected } } } }", "1 to 8 periods"),
    ):
        body = await post_as(client_for, token, query, {})
        assert message in body["errors"][0]["message"], body


async def test_the_query_count_does_not_grow_with_the_regions(client_for: Client, world: World) -> None:
    counts = []
    for region in ("76", "76", "ID", "76.02"):
        COMMANDS.reset()
        await _dashboard(client_for, world, "reviewer", region)
        counts.append(COMMANDS.total)
    assert counts[1] == counts[2] == counts[3] <= 11, COMMANDS.counts


def _valid_point_collection(collection: dict[str, Any]) -> list[dict[str, Any]]:
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]
        assert 94 < longitude < 142 and -12 < latitude < 7  # Indonesia, [lon, lat] in that order
    features: list[dict[str, Any]] = collection["features"]
    return features


async def test_incident_points(client_for: Client, world: World) -> None:
    query = """query($region: RegionCode, $first: Int!) {
      incidentPoints(region: $region, from: "2038-03-01T00:00:00+07:00", to: "2038-03-29T00:00:00+07:00",
        first: $first) }"""
    data = await gql_as(client_for, world.tokens["reviewer"], query, {"region": "76", "first": 100})
    features = _valid_point_collection(data["incidentPoints"])
    assert data["incidentPoints"]["truncated"] is False
    assert [feature["geometry"]["coordinates"] for feature in features] == [
        [118.95, -2.61],
        [118.89, -2.68],
        [119.5, -1.5],
    ]
    first = features[0]["properties"]
    assert set(first) == {"id", "category", "severity", "occurredAt", "title", "regionCode"}
    assert (first["category"], first["severity"], first["regionCode"]) == (
        "NEUTRALITY_BREACH",
        "LOW",
        "76.02",
    )
    assert datetime.fromisoformat(first["occurredAt"]) == at(3, 16)
    node = await gql_as(
        client_for, world.tokens["reviewer"], "query($id: ID!) { node(id: $id) { id } }", {"id": first["id"]}
    )
    assert node["node"] == {"id": first["id"]}

    mine = await gql_as(client_for, world.tokens["operator-76.02"], query, {"region": None, "first": 1})
    (only,) = _valid_point_collection(mine["incidentPoints"])
    assert only["properties"]["regionCode"] == "76.02" and mine["incidentPoints"]["truncated"] is True


async def test_region_centroids(client_for: Client, world: World) -> None:
    query = """query($level: RegionLevel, $parent: RegionCode) {
      regionCentroids(level: $level, parent: $parent) }"""
    for who in ("reviewer", "partner-76"):  # reference data: partners may read it
        data = await gql_as(client_for, world.tokens[who], query, {"level": "PROVINCE", "parent": None})
        provinces = _valid_point_collection(data["regionCentroids"])
        assert len(provinces) == 38
    assert "not an official centroid" in data["regionCentroids"]["method"]
    data = await gql_as(client_for, world.tokens["reviewer"], query, {"level": None, "parent": "76"})
    regencies = _valid_point_collection(data["regionCentroids"])
    assert [feature["properties"]["code"] for feature in regencies] == [f"76.0{n}" for n in range(1, 7)]
    for feature in regencies:  # Sulawesi Barat
        longitude, latitude = feature["geometry"]["coordinates"]
        assert 118.5 < longitude < 120.0 and -3.8 < latitude < -0.8
        assert feature["properties"]["level"] == "REGENCY" and feature["properties"]["parentCode"] == "76"


def test_every_region_has_a_shipped_centre_and_the_rule_is_the_nearest_village() -> None:
    assert set(read_centroids()) == {row.code for row in read_rows()}
    villages = [(0.0, 0.0), (0.0, 10.0), (1.0, 4.0), (5.0, 5.0)]  # mean (1.5, 4.75)
    assert representative_point(villages) == (1.0, 4.0)
