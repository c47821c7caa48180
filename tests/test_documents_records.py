"""Documents as records, through the API: title, number, date, period and links set at upload and edited
with documentUpdate (typed errors, audited with the values before and after), filtered on, and counted for
their own period only; the extracted text and OCR confidence read by whoever may read the document."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from hub.access.grants import create_grant
from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.completeness.models import RequirementKind
from hub.completeness.services import create_requirement
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory
from hub.regions.models import RegionLevel
from tests.conftest import Account
from tests.documents_helpers import presigned_upload, request_upload, unique_pdf
from tests.files import image_bytes, scanned_page
from tests.graphql import PREFLIGHT, Client, global_id, gql_as, post_as, raw_id, region_id
from tests.reports_helpers import create_report
from tests.test_reports import fresh_period
from tests.test_thin_path import SEARCH, wait_for_state

RECORD = """title number documentDate period indicatorCode customFields { name value }
  report { id } case { id } category"""
UPLOAD = f"""mutation($input: DocumentUploadInput!) {{ documentUpload(input: $input) {{
  document {{ id {RECORD} }} errors {{ field code message }} }} }}"""
UPDATE = f"""mutation($id: ID!, $record: DocumentRecordInput, $category: DocumentCategory) {{
  documentUpdate(id: $id, record: $record, category: $category) {{
  document {{ id {RECORD} }} errors {{ field code message }} }} }}"""
LIST = """query($filter: DocumentFilter) { documents(filter: $filter) { totalCount nodes { id } } }"""
TEXT = """query($id: ID!) { node(id: $id) { ... on Document { id state extractedText ocrConfidence } } }"""


async def upload_record(
    http: httpx.AsyncClient,
    data: bytes,
    *,
    region: str = "31.74",
    category: str = "NPHD",
    name: str = "nphd.txt",
    record: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """documentUpload with a record, as a multipart request; the payload."""
    variables = {"input": {"region": region_id(region), "category": category, "file": None, "record": record}}
    response = await http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": UPLOAD, "variables": variables}),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (name, data, "application/octet-stream")},
        headers=PREFLIGHT,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["documentUpload"]
    return result


async def test_a_record_is_set_at_upload_and_edited_with_an_audited_before_and_after(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    year, quarter = fresh_period()
    report = await create_report(client_for, operator, "31.74", year, quarter)
    record = {
        "title": "NPHD Pilkada Kota Jakarta Selatan",
        "number": "900/123/2026",
        "documentDate": "2026-03-02",
        "period": f"{year}-Q{quarter}",
        "report": report["id"],
        "indicatorCode": "nphd_signed",
        "customFields": [{"name": "recipient", "value": "KPU Kota Jakarta Selatan"}],
    }
    async with client_for(operator) as http:
        made = await upload_record(http, f"NPHD {uuid.uuid4()}".encode(), record=record)
    assert made["errors"] == []
    document = made["document"]
    assert document["title"] == "NPHD Pilkada Kota Jakarta Selatan"
    assert (document["number"], document["documentDate"]) == ("900/123/2026", "2026-03-02")
    assert (document["period"], document["indicatorCode"]) == (f"{year}-Q{quarter}", "nphd_signed")
    assert document["report"] == {"id": report["id"]}
    assert document["customFields"] == [{"name": "recipient", "value": "KPU Kota Jakarta Selatan"}]

    # A field left out is kept; one given as null is cleared.
    changed = (
        await gql_as(
            client_for,
            operator,
            UPDATE,
            {"id": document["id"], "record": {"number": "900/124/2026", "documentDate": None}},
        )
    )["documentUpdate"]
    assert changed["errors"] == []
    assert changed["document"]["number"] == "900/124/2026"
    assert changed["document"]["documentDate"] is None
    assert changed["document"]["title"] == "NPHD Pilkada Kota Jakarta Selatan"

    entries = await AuditEntry.find(
        {"target": f"Document:{raw_id(document['id'])}", "action": "document.update"}
    ).to_list()
    assert [(entry.change["before"], entry.change["after"]) for entry in entries] == [
        (
            {"document_date": "2026-03-02", "number": "900/123/2026"},
            {"document_date": None, "number": "900/124/2026"},
        )
    ]


async def test_bad_record_fields_get_typed_errors_and_change_nothing(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    year, quarter = fresh_period()
    elsewhere = await create_report(client_for, accounts["operator-11.01"].token, "11.01", year, quarter)
    async with client_for(operator) as http:
        made = await upload_record(
            http, f"SK {uuid.uuid4()}".encode(), category="DECREE", record={"title": "SK"}
        )
        refused = await upload_record(
            http, f"SK {uuid.uuid4()}".encode(), category="DECREE", record={"period": "2026-Q5"}
        )
    assert [(error["field"], error["code"]) for error in refused["errors"]] == [
        ("period", "INVALID_METADATA")
    ]
    assert refused["document"] is None
    document = made["document"]["id"]
    cases = [
        ({"record": {"period": "Q1 2026"}}, "period", "INVALID_METADATA"),
        (
            {"record": {"customFields": [{"name": "amount", "value": "1"}]}},
            "customFields.amount",
            "INVALID_METADATA",
        ),
        ({"record": {"indicatorCode": "nphd_signed"}}, "indicator", "INVALID_METADATA"),
        ({"record": {"report": elsewhere["id"]}}, "report", "REPORT_NOT_FOUND"),  # outside the scope
        ({"record": {"case": global_id("Case", "0" * 24)}}, "case", "CASE_NOT_FOUND"),
        ({"record": {"title": "x" * 301}}, "title", "INVALID_METADATA"),
    ]
    for given, field, code in cases:
        answer = (await gql_as(client_for, operator, UPDATE, {"id": document, **given}))["documentUpdate"]
        assert [(error["field"], error["code"]) for error in answer["errors"]] == [(field, code)], given
    # The centre sees both regions: a report of another region is refused for what it is.
    admin = (
        await gql_as(
            client_for,
            accounts["admin"].token,
            UPDATE,
            {"id": document, "record": {"report": elsewhere["id"]}},
        )
    )["documentUpdate"]
    assert [(error["field"], error["code"]) for error in admin["errors"]] == [("report", "REGION_MISMATCH")]
    # Readers may not change documents.
    leader = (
        await gql_as(
            client_for, accounts["leader-31"].token, UPDATE, {"id": document, "record": {"title": "X"}}
        )
    )["documentUpdate"]
    assert [error["code"] for error in leader["errors"]] == ["PERMISSION_DENIED"]
    node = await gql_as(
        client_for,
        operator,
        f"query($id: ID!) {{ node(id: $id) {{ ... on Document {{ {RECORD} }} }} }}",
        {"id": document},
    )
    assert (
        node["node"]["title"] == "SK"
        and node["node"]["period"] is None
        and node["node"]["customFields"] == []
    )
    assert (
        await AuditEntry.find({"target": f"Document:{raw_id(document)}", "action": "document.update"}).count()
        == 0
    )


async def test_the_documents_connection_filters_on_the_record(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    year, quarter = fresh_period()
    report = await create_report(client_for, operator, "31.74", year, quarter)
    number = f"SK-{uuid.uuid4().hex[:8]}"
    async with client_for(operator) as http:
        linked = await upload_record(
            http,
            f"SK {uuid.uuid4()}".encode(),
            category="DECREE",
            record={"period": f"{year}-Q{quarter}", "report": report["id"], "number": number},
        )
        await upload_record(http, f"SK {uuid.uuid4()}".encode(), category="DECREE")
    wanted = linked["document"]["id"]
    for given in ({"period": f"{year}-Q{quarter}"}, {"number": number}, {"supportsReport": report["id"]}):
        found = await gql_as(client_for, operator, LIST, {"filter": {"region": region_id("31.74"), **given}})
        assert [node["id"] for node in found["documents"]["nodes"]] == [wanted], given


async def test_a_document_counts_for_its_own_period_only(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    """Two quarters require correspondence of regencies. Counted by hand for Kabupaten Cilacap (33.01):
    an undated upload today counts for the later quarter only (it used to fill both), and a document that
    names the earlier quarter counts for that one, late (its due date has passed)."""
    now = utcnow()
    current = f"{now.year}-Q{(now.month - 1) // 3 + 1}"
    earlier_start = datetime(now.year, 3 * ((now.month - 1) // 3) + 1, 1, tzinfo=UTC) - timedelta(days=60)
    earlier = f"{earlier_start.year}-Q{(earlier_start.month - 1) // 3 + 1}"
    for period, due in ((earlier, earlier_start + timedelta(days=100)), (current, now + timedelta(days=30))):
        await create_requirement(
            actor="user:admin",
            period_key=period,
            kind=RequirementKind.DOCUMENT,
            levels=[RegionLevel.REGENCY],
            due_at=due,
            title=f"Surat {period}",
            document_category=DocumentCategory.CORRESPONDENCE,
        )
    admin = accounts["admin"].token
    query = """query($periods: [String!]!) { completenessMatrix(periods: $periods, region: "33.01") {
      rows { region { code } cells { state } } } }"""
    async with client_for(admin) as http:
        await upload_record(http, f"Surat {uuid.uuid4()}".encode(), region="33.01", category="CORRESPONDENCE")
        for periods, states in (([earlier], ["MISSING"]), ([current], ["ON_TIME"])):
            rows = (await gql_as(client_for, admin, query, {"periods": periods}))["completenessMatrix"][
                "rows"
            ]
            assert [cell["state"] for cell in rows[0]["cells"]] == states, periods
        await upload_record(
            http,
            f"Surat {uuid.uuid4()}".encode(),
            region="33.01",
            category="CORRESPONDENCE",
            record={"period": earlier},
        )
    rows = (await gql_as(client_for, admin, query, {"periods": [earlier, current]}))["completenessMatrix"][
        "rows"
    ]
    assert [cell["state"] for cell in rows[0]["cells"]] == ["LATE", "ON_TIME"]


async def test_extracted_text_and_ocr_confidence_are_read_as_the_grant_allows(
    client_for: Client, accounts: dict[str, Account], worker: Path
) -> None:
    marker = uuid.uuid4().hex[:6].upper()
    scan = image_bytes(scanned_page("NASKAH PERJANJIAN HIBAH DAERAH", f"Nomor 900/{marker}/2026"))
    async with client_for(accounts["operator-31.74"].token) as http:
        made = await upload_record(http, scan, category="NPHD", name="nphd.png")
        document = made["document"]["id"]
        await wait_for_state(http, document, "INDEXED", worker)
        read = (await gql_as(client_for, accounts["operator-31.74"].token, TEXT, {"id": document}))["node"]
    assert "PERJANJIAN HIBAH" in read["extractedText"]
    assert 0.5 < read["ocrConfidence"] <= 1

    expires = utcnow() + timedelta(days=1)
    without = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=["Document.fileName"],
        expires_at=expires,
    )
    body = await post_as(client_for, without.token, TEXT, {"id": document})
    assert body.get("data") is None
    assert "Document.extractedText" in json.dumps(body["errors"])

    granted = await create_grant(
        actor="user:admin",
        agency="Bawaslu",
        region_roots=["31"],
        fields=["Document.extractedText", "Document.ocrConfidence", "Document.state"],
        expires_at=expires,
    )
    seen = (await gql_as(client_for, granted.token, TEXT, {"id": document}))["node"]
    assert seen["extractedText"] == read["extractedText"]
    assert seen["ocrConfidence"] == read["ocrConfidence"]


async def test_a_presigned_upload_carries_its_record(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    async with client_for(accounts["operator-31.74"].token) as http:
        refused = await request_upload(http, unique_pdf(), record={"period": "2026-Q9"})
        assert [(error["field"], error["code"]) for error in refused["errors"]] == [
            ("period", "INVALID_METADATA")
        ]
        confirmed = await presigned_upload(
            http, unique_pdf(), record={"title": "SK Tim Pemantauan", "number": "188.45/7/2026"}
        )
        assert confirmed["errors"] == []
        node = await gql_as(
            client_for,
            accounts["operator-31.74"].token,
            f"query($id: ID!) {{ node(id: $id) {{ ... on Document {{ {RECORD} }} }} }}",
            {"id": confirmed["document"]["id"]},
        )
    assert (node["node"]["title"], node["node"]["number"]) == ("SK Tim Pemantauan", "188.45/7/2026")


async def test_a_document_is_found_by_its_title_and_number(
    client_for: Client, accounts: dict[str, Account], clients: Clients, worker: Path
) -> None:
    marker = uuid.uuid4().hex[:8]
    number = f"900/{marker}/2026"
    async with client_for(accounts["operator-31.74"].token) as http:
        made = await upload_record(
            http,
            f"Isi tanpa penanda {uuid.uuid4()}".encode(),
            category="DECREE",
            name="sk.txt",
            record={"title": f"Keputusan tim pemantauan {marker}", "number": number},
        )
        await wait_for_state(http, made["document"]["id"], "INDEXED", worker)
    await clients.es.indices.refresh(index=f"{clients.settings.es_index_prefix}-documents")
    for query in (marker, f'"{number}"'):
        found = (await gql_as(client_for, accounts["operator-31.74"].token, SEARCH, {"q": query}))["search"]
        assert [hit["document"]["id"] for hit in found["nodes"]] == [made["document"]["id"]], query
