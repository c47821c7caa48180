"""Exports of the records themselves: reports with indicator values and narratives, incidents with category,
severity, place and coordinates, cases with follow-ups, documents and search results — filtered exactly as the
GraphQL lists they mirror, within the viewer's scope, streamed in bounded chunks, formula cells defused."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from beanie import PydanticObjectId

from hub.access.principal import system_principal
from hub.cases.models import Case, CaseCategory
from hub.cases.services import CaseDraft, open_case
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentState, StoredDocument
from hub.exports.columns import batches
from hub.exports.formats import CSV_BATCH_ROWS, csv_stream
from hub.reports.models import RiskLevel
from tests.case_factories import FOLLOW_UP, create_case
from tests.conftest import Account
from tests.graphql import Client, error_code, gql_field_as, payload, post_as, raw_id, upload
from tests.reports_helpers import COMPLETE_VALUES, INCIDENT, NARRATIVES, content, create_report
from tests.test_incidents import incident
from tests.test_reports import fresh_period
from workers.ingest import ingest_document


async def _csv(client_for: Client, token: str, url: str) -> list[dict[str, str]]:
    async with client_for(token) as client:
        response = await client.get(url)
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_reports_carry_indicator_values_and_narratives(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    year, quarter = fresh_period()
    narratives = {**NARRATIVES, "analysis": '=HYPERLINK("http://x") dan +62 sebagai kode'}
    report = await create_report(
        client_for, operator, "31.74", year, quarter, content(COMPLETE_VALUES, narratives)
    )
    period = f"{year}-Q{quarter}"
    rows = await _csv(client_for, operator, f"/exports/reports.csv?periodFrom={period}&periodTo={period}")
    [row] = [row for row in rows if row["id"] == report["id"]]
    assert row["value.parties_active"] == "12"
    assert row["value.conflict_potential"] == "sedang"
    assert row["value.public_order_conducive"] == "true"
    assert row["narrative.introduction"] == "Uraian introduction."
    assert row["narrative.analysis"] == '\'=HYPERLINK("http://x") dan +62 sebagai kode'


async def test_incidents_carry_category_severity_place_and_coordinates(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    marker = uuid.uuid4().hex[:8]
    operator = accounts["operator-31.74"].token
    given = incident("31.74", place=f"-Kantor KPU {marker}", category="CONFLICT", severity="HIGH")
    created = await gql_field_as(client_for, operator, INCIDENT, {"input": given})
    assert created["errors"] == []
    rows = await _csv(
        client_for, accounts["coordinator-31"].token, "/exports/incidents.csv?categories=conflict"
    )
    [row] = [row for row in rows if row["id"] == created["report"]["id"]]
    assert (row["type"], row["incident_category"], row["incident_severity"]) == (
        "INCIDENT",
        "CONFLICT",
        "HIGH",
    )
    assert row["incident_place"] == f"'-Kantor KPU {marker}"  # a leading minus is a formula to spreadsheets
    assert (float(row["incident_latitude"]), float(row["incident_longitude"])) == (-6.26, 106.81)
    assert row["incident_participants"] == "150"
    assert {row["type"] for row in rows} == {"INCIDENT"}
    assert {row["incident_category"] for row in rows} == {"CONFLICT"}


async def test_cases_carry_their_follow_ups(client_for: Client, accounts: dict[str, Account]) -> None:
    operator = accounts["operator-31.74"].token
    case = await create_case(client_for, operator)
    for note in ("Koordinasi dengan KPU kabupaten.", "@Gudang sudah menerima 40% logistik."):
        added = await gql_field_as(
            client_for, operator, FOLLOW_UP, {"id": case["id"], "input": {"note": note}}
        )
        assert added["errors"] == []
    rows = await _csv(
        client_for, accounts["leader-31"].token, "/exports/cases.csv?region=31.74&severities=high"
    )
    [row] = [row for row in rows if row["id"] == case["id"]]
    assert row["follow_up_count"] == "2"
    notes = row["follow_ups"].split(" | ")
    assert notes[0].endswith("operator-31.74: Koordinasi dengan KPU kabupaten.")
    assert notes[1].endswith("operator-31.74: @Gudang sudah menerima 40% logistik.")
    assert row["description"] == "Kotak suara belum tiba di gudang KPU kabupaten."


async def test_documents_are_scoped_and_filtered_like_the_list(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    async with client_for(accounts["operator-31.74"].token) as http:
        uploaded = payload(
            await upload(http, region="31.74", data=f"SK {uuid.uuid4()}".encode(), name="=sk-tim.txt")
        )
    document = uploaded["document"]["id"]
    url = "/exports/documents.csv?region=31.74&categories=decree"
    mine = await _csv(client_for, accounts["coordinator-31"].token, url)
    [row] = [row for row in mine if row["id"] == document]
    assert row["file_name"] == "'=sk-tim.txt"
    assert {row["category"] for row in mine} == {"DECREE"}
    assert await _csv(client_for, accounts["operator-11.01"].token, url) == []


REPORT_IDS = """query($filter: ReportFilterInput) { reports(filter: $filter, first: 100) { nodes { id } } }"""


@pytest.mark.parametrize(
    ("params", "given"),
    [
        ("region=31&statuses=draft", {"region": "31", "statuses": ["DRAFT"]}),
        ("types=QUARTERLY&overdue=false", {"types": ["QUARTERLY"], "overdue": False}),
        ("region=31.74&riskLevels=high", {"region": "31.74", "riskLevels": ["HIGH"]}),
    ],
)
async def test_a_report_export_lists_what_the_query_lists(
    client_for: Client, accounts: dict[str, Account], params: str, given: dict[str, Any]
) -> None:
    year, quarter = fresh_period()
    period = f"{year}-Q{quarter}"
    await create_report(client_for, accounts["operator-31.74"].token, "31.74", year, quarter)
    await create_report(client_for, accounts["operator-11.01"].token, "11.01", year, quarter)
    token = accounts["reviewer"].token
    wanted = {**given, "periodFrom": period, "periodTo": period}
    listed = await gql_field_as(client_for, token, REPORT_IDS, {"filter": wanted})
    exported = await _csv(
        client_for, token, f"/exports/reports.csv?{params}&periodFrom={period}&periodTo={period}"
    )
    assert {row["id"] for row in exported} == {node["id"] for node in listed["nodes"]}


async def _indexed(document_ids: list[str]) -> None:
    """Waits (a bounded number of polls) until the documents are indexed: a worker running for other tests
    may have taken the upload's own ingest message, and then it, not this test's call, indexes them."""
    ids = [PydanticObjectId(value) for value in document_ids]
    for _ in range(150):
        documents = await StoredDocument.find({"_id": {"$in": ids}}).to_list()
        if all(doc.state is DocumentState.INDEXED and not doc.needs_index for doc in documents):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"not indexed: {[(doc.id, doc.state, doc.needs_index) for doc in documents]}")


async def test_search_results_are_exported_within_the_scope(
    client_for: Client, accounts: dict[str, Account], seeded: Clients
) -> None:
    marker = f"ekspor{uuid.uuid4().hex[:8]}"
    found = {}
    for region, who in (("31.74", "operator-31.74"), ("11.01", "operator-11.01")):
        async with client_for(accounts[who].token) as http:
            result = payload(
                await upload(http, region=region, data=f"Notulen {marker}".encode(), name="n.txt")
            )
        await ingest_document(seeded, raw_id(result["document"]["id"]))
        found[region] = result["document"]["id"]
    await _indexed([raw_id(value) for value in found.values()])
    await seeded.es.indices.refresh(index=f"{seeded.settings.es_index_prefix}-documents")
    url = f"/exports/search.csv?query={marker}&kinds=document"
    everything = await _csv(client_for, accounts["reviewer"].token, url)
    assert {row["id"] for row in everything} == set(found.values())
    assert {row["kind"] for row in everything} == {"DOCUMENT"}
    jakarta = await _csv(client_for, accounts["leader-31"].token, url)
    assert [(row["id"], row["region_code"], row["title"]) for row in jakarta] == [
        (found["31.74"], "31.74", "n.txt")
    ]


@pytest.mark.parametrize(
    ("url", "status", "code", "named"),
    [
        ("/exports/reports.csv?colour=red", 400, "BAD_PARAMETER", "colour"),
        ("/exports/incidents.csv?categories=flood", 400, "BAD_PARAMETER", "categories"),
        ("/exports/documents.csv?states=lost", 400, "BAD_PARAMETER", "states"),
        ("/exports/documents.csv?region=99.99", 400, "BAD_PARAMETER", "region"),
        ("/exports/search.csv?region=99.99", 400, "BAD_PARAMETER", "region"),
        ("/exports/cases.csv?query=kotak", 400, "BAD_PARAMETER", "query"),
        ("/exports/documents.csv?inTrash=true", 403, "PERMISSION_DENIED", "inTrash"),
    ],
)
async def test_bad_filters_are_refused_before_any_byte(
    client_for: Client, accounts: dict[str, Account], url: str, status: int, code: str, named: str
) -> None:
    async with client_for(accounts["leader-31"].token) as client:
        response = await client.get(url)
    assert (response.status_code, response.headers["content-type"]) == (status, "application/json")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert f"`{named}`" in error["message"]


async def test_csv_is_written_in_bounded_chunks_as_rows_arrive() -> None:
    """The writer never holds more than a batch of rows: each chunk is sent before the next rows are read."""
    pulled = 0
    total = 4 * CSV_BATCH_ROWS + 7

    async def rows() -> AsyncIterator[list[Any]]:
        nonlocal pulled
        for number in range(total):
            pulled += 1
            yield [number, "=1+1"]

    seen_when_sent = []
    chunks = []
    async for chunk in csv_stream(["n", "formula"], rows()):
        seen_when_sent.append(pulled)
        chunks.append(chunk)
    assert seen_when_sent == [
        CSV_BATCH_ROWS,
        2 * CSV_BATCH_ROWS,
        3 * CSV_BATCH_ROWS,
        4 * CSV_BATCH_ROWS,
        total,
    ]
    parsed = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert len(parsed) == total + 1
    assert {row[1] for row in parsed[1:]} == {"'=1+1"}


async def test_records_are_read_in_batches(clients: Clients) -> None:
    """`batches` reads by `_id` a batch at a time: the number of reads and their size are bounded."""
    marker = f"batch-{uuid.uuid4().hex[:8]}"
    for _ in range(5):
        await open_case(
            system_principal("tests"),
            CaseDraft(
                title=marker,
                category=CaseCategory.OTHER,
                severity=RiskLevel.LOW,
                due_at=utcnow() + timedelta(days=3),
                region_code="31.74",
            ),
        )
    sizes = [len(batch) async for batch in batches(Case, {"title": marker}, batch=2)]
    assert sizes == [2, 2, 1]


async def test_a_period_that_is_none_is_refused_by_the_query_as_by_the_export(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    """One rule, one home: the domain's filter refuses it for both."""
    body = await post_as(
        client_for, accounts["reviewer"].token, REPORT_IDS, {"filter": {"periodTo": "2026-Q9"}}
    )
    assert body["data"] is None
    assert error_code(body) == "INVALID_PERIOD"
    assert "`periodTo`" in body["errors"][0]["message"]
