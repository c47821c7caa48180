"""Completeness, reporting rate and on-time rate on a seeded data set with known gaps, at regency, province
and national level; requirements are admin-only and validated; the figures are scoped."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from hub.completeness.models import Requirement, RequirementKind
from hub.completeness.services import create_requirement
from hub.documents.models import DocumentCategory, StoredDocument
from hub.regions.models import RegionLevel
from hub.reports.models import Period, Report, ReportStatus, ReportType
from tests.conftest import Account
from tests.graphql import Client, global_id, gql_as, post_as

PERIOD = "2035-Q1"
ACEH_REGENCIES_AND_CITIES = 23


def at(month: int, day: int) -> datetime:
    return datetime(2035, month, day, 12, tzinfo=UTC)


def _path(code: str) -> list[str]:
    return ["ID", code] if "." not in code else ["ID", code.split(".")[0], code]


async def _report(code: str, submitted: datetime | None, status: ReportStatus) -> None:
    await Report(
        region_code=code,
        region_path=_path(code),
        type=ReportType.QUARTERLY,
        template_version=1,
        period=Period(year=2035, quarter=1),
        period_key=PERIOD,
        title=f"Triwulan I 2035 {code}",
        author="user:seed",
        status=status,
        first_submitted_at=submitted,
        submitted_at=submitted,
        due_at=at(4, 15),
    ).insert()


async def _decree(code: str, uploaded: datetime) -> None:
    await StoredDocument(
        region_code=code,
        region_path=_path(code),
        category=DocumentCategory.DECREE,
        file_name="sk.pdf",
        object_key=f"seed/{uuid.uuid4()}",
        content_type="application/pdf",
        size=10,
        sha256=uuid.uuid4().hex,
        created_at=uploaded,
        updated_at=uploaded,
    ).insert()


@pytest.fixture(scope="module")
async def requirements(accounts: dict[str, Account]) -> dict[str, Requirement]:
    regencies = [RegionLevel.REGENCY, RegionLevel.CITY]
    made = {
        "report": await create_requirement(
            actor="user:admin",
            period_key=PERIOD,
            kind=RequirementKind.REPORT,
            levels=regencies,
            due_at=at(4, 15),
            title="Laporan triwulan I",
            report_type=ReportType.QUARTERLY,
        ),
        "decree": await create_requirement(
            actor="user:admin",
            period_key=PERIOD,
            kind=RequirementKind.DOCUMENT,
            levels=regencies,
            due_at=at(3, 31),
            title="SK Tim Pemantauan",
            document_category=DocumentCategory.DECREE,
        ),
        "province": await create_requirement(
            actor="user:admin",
            period_key=PERIOD,
            kind=RequirementKind.REPORT,
            levels=[RegionLevel.PROVINCE],
            due_at=at(4, 20),
            title="Laporan triwulan I provinsi",
            report_type=ReportType.QUARTERLY,
        ),
    }
    # The known gaps, in DKI Jakarta (31: six regencies/cities) and Aceh (11).
    await _report("31.71", at(4, 10), ReportStatus.VERIFIED)
    await _report("31.72", at(4, 14), ReportStatus.SUBMITTED)
    await _report("31.73", at(4, 20), ReportStatus.SUBMITTED)  # late
    await _report("31.74", None, ReportStatus.DRAFT)  # not delivered
    await _report("31", at(4, 18), ReportStatus.VERIFIED)  # the province's own
    await _report("11.01", at(4, 1), ReportStatus.SUBMITTED)
    await _decree("31.71", at(3, 1))
    await _decree("31.74", at(4, 5))  # late
    await _decree("31.75", datetime(2034, 12, 1, tzinfo=UTC))  # before the period: does not count
    return made


FIGURES = "expected delivered onTime late missing verified reportingRate onTimeRate"
COMPLETENESS = f"""query($region: RegionCode!) {{ completeness(periods: ["{PERIOD}"], region: $region) {{
  total {{ {FIGURES} }} rows {{ region {{ code }} figures {{ {FIGURES} }} }} }} }}"""


def figures(expected: int, on_time: int, late: int, verified: int) -> dict[str, Any]:
    delivered = on_time + late
    return {
        "expected": expected,
        "delivered": delivered,
        "onTime": on_time,
        "late": late,
        "missing": expected - delivered,
        "verified": verified,
        "reportingRate": pytest.approx(delivered / expected),
        "onTimeRate": pytest.approx(on_time / expected),
    }


@pytest.mark.usefixtures("requirements")
async def test_regency_level(client_for: Client, accounts: dict[str, Account]) -> None:
    data = (await gql_as(client_for, accounts["reviewer"].token, COMPLETENESS, {"region": "31.74"}))[
        "completeness"
    ]
    assert data["total"] == figures(expected=2, on_time=0, late=1, verified=0)
    assert [row["region"]["code"] for row in data["rows"]] == ["31.74"]


@pytest.mark.usefixtures("requirements")
async def test_province_level(client_for: Client, accounts: dict[str, Account]) -> None:
    data = (await gql_as(client_for, accounts["reviewer"].token, COMPLETENESS, {"region": "31"}))[
        "completeness"
    ]
    rows = {row["region"]["code"]: row["figures"] for row in data["rows"]}
    assert list(rows) == ["31", "31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    assert rows["31"] == figures(expected=1, on_time=1, late=0, verified=1)
    assert rows["31.71"] == figures(expected=2, on_time=2, late=0, verified=1)
    assert rows["31.73"] == figures(expected=2, on_time=0, late=1, verified=0)
    assert rows["31.75"] == figures(expected=2, on_time=0, late=0, verified=0)
    # 6 * 2 + 1 expected; on time: both of 31.71, 31.72, the province; late: 31.73's report, 31.74's decree.
    assert data["total"] == figures(expected=13, on_time=4, late=2, verified=2)


@pytest.mark.usefixtures("requirements")
async def test_national_level_per_province(client_for: Client, accounts: dict[str, Account]) -> None:
    data = (await gql_as(client_for, accounts["reviewer"].token, COMPLETENESS, {"region": "ID"}))[
        "completeness"
    ]
    rows = {row["region"]["code"]: row["figures"] for row in data["rows"]}
    assert len(rows) == 38
    assert rows["31"] == figures(expected=13, on_time=4, late=2, verified=2)
    assert rows["11"] == figures(expected=ACEH_REGENCIES_AND_CITIES * 2 + 1, on_time=1, late=0, verified=0)
    assert rows["51"]["delivered"] == 0
    assert data["total"]["expected"] == 514 * 2 + 38
    assert data["total"]["delivered"] == 7


@pytest.mark.usefixtures("requirements")
async def test_figures_are_scoped(client_for: Client, accounts: dict[str, Account]) -> None:
    jakarta = await gql_as(client_for, accounts["coordinator-31"].token, COMPLETENESS, {"region": "ID"})
    assert [row["region"]["code"] for row in jakarta["completeness"]["rows"]] == ["31"]
    own = await gql_as(client_for, accounts["operator-31.74"].token, COMPLETENESS, {"region": "ID"})
    assert own["completeness"]["total"] == figures(expected=2, on_time=0, late=1, verified=0)


async def test_who_is_missing_the_report_and_the_matrix(
    client_for: Client, accounts: dict[str, Account], requirements: dict[str, Requirement]
) -> None:

    report_id = global_id("Requirement", requirements["report"].id)
    query = (
        """query($r: ID!) { regionsMissing(requirement: $r, region: "31") { totalCount nodes { code } } }"""
    )
    data = await gql_as(client_for, accounts["leader-31"].token, query, {"r": report_id})
    assert [node["code"] for node in data["regionsMissing"]["nodes"]] == ["31.01", "31.74", "31.75"]

    matrix = f"""query($after: String) {{ completenessMatrix(periods: ["{PERIOD}"], region: "31", first: 4,
      after: $after) {{ totalCount hasNextPage endCursor requirements {{ title }}
      rows {{ region {{ code }} cells {{ requirementId state verified }} }} }} }}"""
    first = (await gql_as(client_for, accounts["reviewer"].token, matrix, {"after": None}))[
        "completenessMatrix"
    ]
    assert (first["totalCount"], first["hasNextPage"], len(first["rows"])) == (7, True, 4)
    rest = await gql_as(client_for, accounts["reviewer"].token, matrix, {"after": first["endCursor"]})
    codes = [row["region"]["code"] for row in first["rows"] + rest["completenessMatrix"]["rows"]]
    assert codes == ["31", "31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    jaksel = next(row for row in rest["completenessMatrix"]["rows"] if row["region"]["code"] == "31.74")
    assert sorted(cell["state"] for cell in jaksel["cells"]) == ["LATE", "MISSING"]


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ({"period": "2035-Q9"}, "INVALID_PERIOD"),
        ({"levels": ["NATIONAL"]}, "INVALID_REQUIREMENT"),
        ({"documentCategory": "DECREE"}, "INVALID_REQUIREMENT"),  # a report requirement naming a category
        ({"dueAt": "2034-01-01T00:00:00+00:00"}, "INVALID_REQUIREMENT"),
    ],
)
async def test_requirement_create_refusals(
    client_for: Client, accounts: dict[str, Account], given: dict[str, Any], code: str
) -> None:
    before = await Requirement.find_all().count()
    base = {
        "period": "2036-Q1",
        "kind": "REPORT",
        "levels": ["REGENCY"],
        "dueAt": "2036-04-15T00:00:00+00:00",
        "title": "Laporan",
        "reportType": "QUARTERLY",
    }
    query = """mutation($input: RequirementCreateInput!) { requirementCreate(input: $input) {
      requirement { id } errors { code field } } }"""
    data = await gql_as(client_for, accounts["admin"].token, query, {"input": {**base, **given}})
    assert [error["code"] for error in data["requirementCreate"]["errors"]] == [code]
    assert await Requirement.find_all().count() == before


async def test_only_admins_define_requirements(client_for: Client, accounts: dict[str, Account]) -> None:
    query = """mutation { requirementCreate(input: {period: "2036-Q2", kind: REPORT, levels: [REGENCY],
      dueAt: "2036-07-15T00:00:00+00:00", title: "Laporan", reportType: QUARTERLY}) { errors { code } } }"""
    body = await post_as(client_for, accounts["reviewer"].token, query)
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
