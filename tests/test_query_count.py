"""Listing reports costs the same number of MongoDB round trips for 10 and for 100 of them, with their region,
author, reviewer and case count (DataLoaders, no per-item queries)."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta

import pytest

from hub.cases.models import Case, CaseCategory
from hub.core.clock import utcnow
from hub.reports.models import Period, Report, ReportStatus, ReportType, RiskLevel
from tests.conftest import Account
from tests.graphql import Client, gql_as, post
from tests.mongo_commands import COMMANDS

REGIONS = {
    "31.01": ["ID", "31", "31.01"],
    "31.71": ["ID", "31", "31.71"],
    "31.72": ["ID", "31", "31.72"],
    "31.73": ["ID", "31", "31.73"],
    "31.74": ["ID", "31", "31.74"],
    "31.75": ["ID", "31", "31.75"],
}
LIST = """query($first: Int!) { reports(first: $first, filter: {region: "31", periodFrom: "2090-Q1"}) {
  totalCount nodes { id title region { name parent { code } } author { username } reviewer { username }
  caseCount period { key } status } } }"""


@pytest.fixture(scope="module")
async def seeded_reports(accounts: dict[str, Account]) -> None:
    await _seed_reports(120)


async def _seed_reports(count: int) -> None:
    now = utcnow()
    slots = itertools.product(range(2090, 2100), range(1, 5), REGIONS)
    reports = []
    for _, (year, quarter, region) in zip(range(count), slots, strict=False):
        period = Period(year=year, quarter=quarter)
        reports.append(
            Report(
                region_code=region,
                region_path=REGIONS[region],
                type=ReportType.QUARTERLY,
                template_version=1,
                period=period,
                period_key=period.key,
                title=f"Triwulan {period.key} {region}",
                author="user:operator-31.74",
                last_reviewer="user:coordinator-31",
                status=ReportStatus.VERIFIED,
                due_at=now + timedelta(days=30),
            )
        )
    await Report.insert_many(reports)
    stored = await Report.find({"period_key": {"$gte": "2090-Q1"}}).to_list()
    cases = [
        Case(
            region_code=report.region_code,
            region_path=report.region_path,
            title="Logistik terlambat",
            description="Kotak suara belum tiba.",
            category=CaseCategory.LOGISTICS,
            severity=RiskLevel.HIGH,
            source_report_id=report.id,
            due_at=now + timedelta(days=7),
            opened_by="user:coordinator-31",
        )
        for report in stored[::3]
    ]
    await Case.insert_many(cases)


async def _commands_for(client_for: Client, token: str, first: int) -> tuple[Counter[str], int]:
    async with client_for(token) as client:
        COMMANDS.reset()
        body = await post(client, LIST, {"first": first})
        counts = Counter(COMMANDS.counts)
    assert "errors" not in body, body
    nodes = body["data"]["reports"]["nodes"]
    assert all(node["author"] == {"username": "operator-31.74"} for node in nodes)
    return counts, len(nodes)


@pytest.mark.usefixtures("seeded_reports")
async def test_ten_and_a_hundred_reports_cost_the_same_round_trips(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    token = accounts["reviewer"].token
    # Once first: the token's credentials and the region tree are then in the process's caches for both.
    await _commands_for(client_for, token, 10)
    ten, ten_nodes = await _commands_for(client_for, token, 10)
    hundred, hundred_nodes = await _commands_for(client_for, token, 100)
    assert (ten_nodes, hundred_nodes) == (10, 100)
    assert hundred == ten, (ten, hundred)
    # authenticate (user, session) + the filter's region checked + count + page + regions with their
    # parents + users + case counts
    assert sum(ten.values()) <= 8, ten


@pytest.mark.usefixtures("seeded_reports")
async def test_case_counts_are_right(client_for: Client, accounts: dict[str, Account]) -> None:
    nodes = (await gql_as(client_for, accounts["reviewer"].token, LIST, {"first": 100}))["reports"]["nodes"]
    counted = {node["id"]: node["caseCount"] for node in nodes}
    assert set(counted.values()) == {0, 1}
    assert sum(counted.values()) >= 30
