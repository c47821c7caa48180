"""Incident reports from flaky phones, and the report and incident connections: filters, order, scope."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from hub.core.clock import utcnow
from hub.reports.models import Report
from tests.conftest import Account
from tests.graphql import Client, gql_field_as, raw_id, region_id
from tests.reports_helpers import INCIDENT

LIST = """query($filter: ReportFilterInput, $first: Int, $after: String, $orderBy: ReportOrder) {
  incidents(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id title region { code } incident { category severity } }
  } }"""


def incident(code: str, **overrides: Any) -> dict[str, Any]:
    given = {
        "region": region_id(code),
        "category": "DEMONSTRATION",
        "severity": "MEDIUM",
        "occurredAt": (utcnow() - timedelta(hours=2)).isoformat(),
        "chronology": "Unjuk rasa damai di depan kantor KPU, massa membubarkan diri pukul 15.00.",
        "place": "Kantor KPU",
        "latitude": -6.26,
        "longitude": 106.81,
        "people": {"participants": 150},
    }
    return {**given, **overrides}


async def test_a_retried_incident_create_returns_the_first_incident(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    key = f"phone-{uuid.uuid4()}"
    first = await gql_field_as(
        client_for, operator, INCIDENT, {"input": incident("31.74", clientMutationId=key)}
    )
    retry = await gql_field_as(
        client_for, operator, INCIDENT, {"input": incident("31.74", clientMutationId=key)}
    )
    assert first["errors"] == []
    assert (first["created"], retry["created"]) == (True, False)
    assert retry["report"]["id"] == first["report"]["id"]
    assert retry["clientMutationId"] == key
    assert await Report.find({"client_mutation_id": key}).count() == 1
    assert first["report"]["status"] == "SUBMITTED"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"chronology": "  "}, "narratives.chronology", "REQUIRED"),
        ({"occurredAt": (utcnow() + timedelta(days=1)).isoformat()}, "occurredAt", "INVALID_VALUE"),
        ({"latitude": 123.0}, "latitude", "INVALID_VALUE"),
        ({"people": {"injured": -1}}, "people.injured", "INVALID_VALUE"),
        ({"region": region_id("99.99")}, "region", "REGION_NOT_FOUND"),
        ({"region": region_id("11.01")}, "region", "PERMISSION_DENIED"),
    ],
)
async def test_bad_incidents_are_refused_and_nothing_is_created(
    client_for: Client, accounts: dict[str, Account], overrides: dict[str, Any], field: str, code: str
) -> None:
    before = await Report.find({"type": "incident"}).count()
    result = await gql_field_as(
        client_for, accounts["operator-31.74"].token, INCIDENT, {"input": incident("31.74", **overrides)}
    )
    assert result["report"] is None
    assert [(error["field"], error["code"]) for error in result["errors"]] == [(field, code)]
    assert await Report.find({"type": "incident"}).count() == before


async def test_incidents_are_filtered_scoped_and_paged_in_a_stable_order(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    marker = uuid.uuid4().hex[:6]
    jakarta, aceh = accounts["operator-31.74"].token, accounts["operator-11.01"].token
    made = []
    for n in range(7):
        severity = "HIGH" if n % 2 else "LOW"
        result = await gql_field_as(
            client_for,
            jakarta,
            INCIDENT,
            {"input": incident("31.74", title=f"{marker}-{n}", severity=severity, category="CONFLICT")},
        )
        made.append(result["report"]["id"])
    await gql_field_as(
        client_for, aceh, INCIDENT, {"input": incident("11.01", title=f"{marker}-aceh", category="CONFLICT")}
    )

    # The province's leader pages through its conflicts of high severity.
    wanted = {"region": "31", "categories": ["CONFLICT"], "riskLevels": ["HIGH"]}
    seen: list[str] = []
    after = None
    while True:
        page = await gql_field_as(
            client_for,
            accounts["leader-31"].token,
            LIST,
            {"filter": wanted, "first": 2, "after": after, "orderBy": "NEWEST"},
        )
        seen += [node["id"] for node in page["nodes"] if node["title"].startswith(marker)]
        assert all(node["incident"] == {"category": "CONFLICT", "severity": "HIGH"} for node in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    expected = [made[n] for n in (5, 3, 1)]  # newest first
    assert seen == expected

    # Aceh's operator sees its own incident only; Jakarta's never.
    aceh_view = await gql_field_as(
        client_for, aceh, LIST, {"filter": {"categories": ["CONFLICT"]}, "first": 100}
    )
    codes = {node["region"]["code"] for node in aceh_view["nodes"]}
    assert codes == {"11.01"}
    assert aceh_view["totalCount"] == len(aceh_view["nodes"])


async def test_partner_grant_sees_reports_only_in_its_regions(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    from hub.access.grants import create_grant

    grant = await create_grant(
        actor="user:admin",
        agency="Bawaslu",
        region_roots=["11"],
        fields=["Report.title", "Report.region"],
        expires_at=utcnow() + timedelta(days=1),
    )
    aceh = await gql_field_as(
        client_for, accounts["operator-11.01"].token, INCIDENT, {"input": incident("11.01")}
    )
    jakarta = await gql_field_as(
        client_for, accounts["operator-31.74"].token, INCIDENT, {"input": incident("31.74")}
    )
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Report { title } } }"
    seen = await gql_field_as(
        client_for, grant.token, query, {"ids": [aceh["report"]["id"], jakarta["report"]["id"]]}
    )
    assert [node["id"] if node else None for node in seen] == [aceh["report"]["id"], None]
    assert raw_id(aceh["report"]["id"])


async def test_partner_grant_limited_to_incidents_sees_no_quarterly_report(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    from hub.access.grants import create_grant
    from tests.reports_helpers import create_report
    from tests.test_reports import fresh_period

    grant = await create_grant(
        actor="user:admin",
        agency="Polri",
        region_roots=["31"],
        report_types=["incident"],
        fields=["Report.title", "Report.type"],
        expires_at=utcnow() + timedelta(days=1),
    )
    filed = await gql_field_as(
        client_for, accounts["operator-31.74"].token, INCIDENT, {"input": incident("31.74")}
    )
    year, quarter = fresh_period()
    quarterly = await create_report(client_for, accounts["operator-31.74"].token, "31.74", year, quarter)
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    seen = await gql_field_as(
        client_for, grant.token, query, {"ids": [filed["report"]["id"], quarterly["id"]]}
    )
    assert [node["id"] if node else None for node in seen] == [filed["report"]["id"], None]
    listed = await gql_field_as(client_for, grant.token, "{ reports(first: 100) { nodes { type } } }", {})
    assert {node["type"] for node in listed["nodes"]} == {"INCIDENT"}
