"""The printable report: `Report.pdfUrl` leads to a PDF in Indonesian whose text (read back with pypdf) holds
the indicators, narratives, evidence with its state, review history and signature block; readers outside the
report's scope get the same 404 as for a report that does not exist."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from starlette.applications import Starlette

from hub.access.grants import create_grant
from hub.access.models import PartnerRead
from hub.core.clock import utcnow
from tests.conftest import Account
from tests.graphql import Client, app_clients, gql_field_as, raw_id
from tests.reports_helpers import (
    COMPLETE_VALUES,
    NARRATIVES,
    RETURN,
    STEP,
    content,
    create_report,
    uploaded_document,
)
from tests.test_reports import fresh_period

PDF_URL = "query($id: ID!) { node(id: $id) { ... on Report { pdfUrl } } }"


async def _get(client_for: Client, token: str | None, url: str) -> tuple[int, str, bytes]:
    async with client_for(token) as client:
        response = await client.get(url)
    return response.status_code, response.headers.get("content-type", ""), response.content


def _text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture(scope="module")
async def reviewed(app: Starlette, accounts: dict[str, Account]) -> dict[str, Any]:
    """A quarterly report of 31.74 with evidence, returned once and verified."""
    client_for = app_clients(app)
    operator, coordinator = accounts["operator-31.74"].token, accounts["coordinator-31"].token
    evidence = await uploaded_document(client_for, operator, "31.74")
    year, quarter = fresh_period()
    values = {**COMPLETE_VALUES, "nphd_signed": True, "nphd_amount": 2500000000}
    analysis = "Situasi kondusif menjelang Pilkada; koordinasi Forkopimda rutin."
    narratives = {**NARRATIVES, "analysis": analysis}
    report = await create_report(
        client_for, operator, "31.74", year, quarter, content(values, narratives, {"nphd_signed": [evidence]})
    )
    steps: list[tuple[str, str, Any]] = [
        (operator, STEP["reportSubmit"], None),
        (coordinator, RETURN, {"reasons": [{"target": "analysis", "message": "Lengkapi rekomendasi."}]}),
        (operator, STEP["reportSubmit"], None),
        (coordinator, STEP["reportVerify"], {"note": "Sesuai data Polres."}),
    ]
    for token, mutation, given in steps:
        result = await gql_field_as(client_for, token, mutation, {"id": report["id"], "input": given})
        assert result["errors"] == [], result
    return {"id": report["id"], "evidence": evidence}


async def test_the_pdf_holds_the_whole_report_in_indonesian(
    client_for: Client, accounts: dict[str, Account], reviewed: dict[str, Any]
) -> None:
    reader = accounts["leader-31"].token
    url = await gql_field_as(client_for, reader, PDF_URL, {"id": reviewed["id"]})
    assert url == {"pdfUrl": f"/reports/{raw_id(reviewed['id'])}.pdf"}
    status, media, body = await _get(client_for, reader, url["pdfUrl"])
    assert (status, media) == (200, "application/pdf")
    text = _text(body)
    for expected in (
        "Laporan Triwulan Perkembangan Politik di Daerah",  # the template's title
        "Indikator",
        "Jumlah partai politik aktif",
        "12",
        "NPHD telah ditandatangani",
        "Ya",
        "Rp 2.500.000.000",
        "Uraian",
        "Analisis",
        "Situasi kondusif menjelang Pilkada; koordinasi Forkopimda rutin.",
        "Data Dukung",
        "sk.txt",
        "Status verifikasi",
        "Riwayat Pemeriksaan",
        "Dikembalikan",
        "analysis: Lengkapi rekomendasi.",
        "Diverifikasi",
        "Sesuai data Polres.",
        "coordinator-31",
        "Tanda Tangan",
        "Mengetahui,",
        "Kepala Badan Kesbangpol",
        "NIP.",
        "Terverifikasi",
    ):
        assert expected in text, expected
    states = ("Tersimpan, teks belum dibaca", "Teks terbaca, belum diverifikasi")
    assert any(state in text for state in states)
    by_global_id = await _get(client_for, reader, f"/reports/{reviewed['id'].replace('=', '%3D')}.pdf")
    assert by_global_id[0] == 200


async def test_outside_the_scope_is_not_found_like_nothing(
    client_for: Client, accounts: dict[str, Account], reviewed: dict[str, Any]
) -> None:
    path = f"/reports/{raw_id(reviewed['id'])}.pdf"
    aceh = accounts["operator-11.01"].token
    outside = await _get(client_for, aceh, path)
    missing = await _get(client_for, aceh, "/reports/64b7f0c2a1b2c3d4e5f60718.pdf")
    malformed = await _get(client_for, aceh, "/reports/../x.pdf")
    assert outside[0] == missing[0] == 404
    assert outside[2] == missing[2]
    assert malformed[0] == 404
    anonymous = await _get(client_for, None, path)
    assert anonymous[0] == 401
    assert b"%PDF" not in outside[2] + anonymous[2]


async def test_a_partner_prints_only_what_its_grant_reads_and_the_read_is_logged(
    client_for: Client, reviewed: dict[str, Any]
) -> None:
    grant = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=["Report.title", "Report.values", "Report.pdfUrl"],
        expires_at=utcnow() + timedelta(days=1),
    )
    url = await gql_field_as(client_for, grant.token, PDF_URL, {"id": reviewed["id"]})
    status, _, body = await _get(client_for, grant.token, url["pdfUrl"])
    assert status == 200
    text = _text(body)
    assert "Jumlah partai politik aktif" in text
    assert "Situasi kondusif menjelang Pilkada" not in text  # narratives are not granted
    assert "Lengkapi rekomendasi" not in text and "sk.txt" not in text
    assert text.count("Bagian ini tidak termasuk dalam akses Anda.") == 3
    reads = await PartnerRead.find({"grant_id": grant.grant.id}).to_list()
    assert any(reviewed["id"] in read.object_ids and "Report.values" in read.fields for read in reads)
    elsewhere = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["11"],
        fields=["Report.title", "Report.values"],
        expires_at=utcnow() + timedelta(days=1),
    )
    assert (await _get(client_for, elsewhere.token, url["pdfUrl"]))[0] == 404
