"""Extraction and OCR, per format, with files generated here; the page and time limits; and a scanned PDF
found by a printed word, through the real worker and search. Hostile files: test_extraction_safety.py."""

from __future__ import annotations

import io
import random
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from hub.access.principal import system_principal
from hub.clients import Clients
from hub.dispatch import NoDispatch
from hub.documents.models import DocumentCategory, DocumentState, StoredDocument
from hub.documents.sniff import DOCX, JPEG, ODT, PDF, PNG, TEXT, TIFF, XLSX
from hub.documents.upload import IncomingFile, upload_document
from tests import files
from tests.files import Inline, scanned_page
from tests.graphql import gql, payload, upload
from tests.test_thin_path import SEARCH, wait_for_state
from workers.extraction import ExtractionError, ExtractionLimits, OcrUnavailable, extract_text, ocr
from workers.ingest import ingest_document

PAGE = scanned_page("Badan Kesbangpol Kabupaten Aceh Selatan", "Berita acara persiapan pemilihan")


def words(text: str) -> set[str]:
    return {word.strip(".,:;!").lower() for word in text.split()}


def assert_read(text: str, *expected: str) -> None:
    """OCR may misread a letter here and there: most of the printed words must be there."""
    found = [word for word in expected if word.lower() in words(text)]
    assert len(found) >= len(expected) - 1, f"OCR read {text!r}"


@pytest.fixture
def ocr_calls(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Counts the Tesseract runs."""
    calls: list[Path] = []
    real = ocr.tesseract

    def counting(image: Path, timeout: float, dpi: int | None = None) -> str:
        calls.append(image)
        return real(image, timeout, dpi)

    monkeypatch.setattr(ocr, "tesseract", counting)
    return calls


def refused(content_type: str, data: bytes, **limits: Any) -> str:
    with pytest.raises(ExtractionError) as error:
        extract_text(content_type, data, ExtractionLimits(**limits))
    return str(error.value)


# --- formats ------------------------------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_text_boxes_once() -> None:
    body = (
        files.word_paragraph("Berita acara rapat Tim Pemantauan")
        + "<w:tbl><w:tr><w:tc>"
        + files.word_paragraph("NPHD ditandatangani")
        + "</w:tc></w:tr></w:tbl>"
        + "<w:p><w:r><w:t>Kolom</w:t><w:tab/><w:t>nilai</w:t></w:r></w:p>"
        + "<w:p><mc:AlternateContent><mc:Choice><a:t>kotak teks</a:t></mc:Choice>"
        "<mc:Fallback><w:t>kotak teks</w:t></mc:Fallback></mc:AlternateContent></w:p>"
    )
    footer = f'<w:ftr xmlns:w="{files.W_NAMESPACE}">{files.word_paragraph("Halaman kaki")}</w:ftr>'
    text = extract_text(DOCX, files.docx_file(body, parts={"word/footer1.xml": footer}))
    assert text.splitlines() == [
        "Berita acara rapat Tim Pemantauan",
        "NPHD ditandatangani",
        "Kolom nilai",
        "kotak teks",
        "Halaman kaki",
    ]


def test_xlsx_sheets_in_workbook_order_with_shared_and_inline_strings() -> None:
    data = files.xlsx_with_sheets(
        {
            "Rekap NPHD": [
                ["Kabupaten", "Nilai hibah"],
                ["Aceh Selatan", 1_500_000_000],
                ["Aceh Selatan", True],
            ],
            "Catatan": [[Inline("Pencairan tahap kedua tertunda")]],
        }
    )
    assert extract_text(XLSX, data).splitlines() == [
        "Rekap NPHD",
        "Kabupaten Nilai hibah",
        "Aceh Selatan 1500000000",
        "Aceh Selatan",
        "Catatan",
        "Pencairan tahap kedua tertunda",
    ]


def test_odt_headings_paragraphs_and_spacing() -> None:
    body = (
        "<text:h>Laporan Triwulan</text:h>"
        '<text:p>Situasi<text:s text:c="3"/>politik <text:span>kondusif</text:span></text:p>'
        "<text:p>Kendala<text:tab/>logistik<text:line-break/>Tindak lanjut</text:p>"
    )
    assert extract_text(ODT, files.odt_file(body)).splitlines() == [
        "Laporan Triwulan",
        "Situasi politik kondusif",
        "Kendala logistik",
        "Tindak lanjut",
    ]


def test_plain_text_without_its_byte_order_mark() -> None:
    assert extract_text(TEXT, "\ufeffUnjuk rasa damai\r\n\r\n  di   depan kantor".encode()) == (
        "Unjuk rasa damai\ndi depan kantor"
    )


# --- OCR ----------------------------------------------------------------------------------------------------


def test_png_is_read_by_ocr_in_indonesian() -> None:
    assert_read(extract_text(PNG, files.image_bytes(PAGE)), "Kesbangpol", "pemilihan", "persiapan", "Aceh")


def test_sideways_phone_photo_is_turned_upright_first() -> None:
    assert_read(extract_text(JPEG, files.sideways_jpeg(PAGE)), "Kesbangpol", "pemilihan", "persiapan")


def test_multipage_tiff_is_read_page_by_page_up_to_the_limit() -> None:
    data = files.multipage_tiff(PAGE, scanned_page("Halaman kedua notulen"), scanned_page("Halaman ketiga"))
    text = extract_text(TIFF, data, ExtractionLimits(max_ocr_pages=2))
    assert_read(text, "pemilihan", "kedua", "notulen")
    assert "ketiga" not in words(text)


def test_scanned_pdf_page_is_rendered_and_read(ocr_calls: list[Path]) -> None:
    text = extract_text(PDF, files.pdf_of_pages("Laporan situasi politik daerah", PAGE))
    assert text.splitlines()[0] == "Laporan situasi politik daerah"
    assert_read(text, "Kesbangpol", "pemilihan", "persiapan")
    assert len(ocr_calls) == 1, "only the page without a text layer is OCRed"


def test_2000_page_scan_is_read_only_up_to_the_ocr_page_limit(ocr_calls: list[Path]) -> None:
    data = files.pdf_of_pages(PAGE, repeat=2000)
    text = extract_text(PDF, data, ExtractionLimits(max_ocr_pages=3))
    assert len(ocr_calls) == 3
    assert_read(text, "Kesbangpol", "pemilihan")


def test_pdf_over_the_page_limit_is_rejected_before_any_page_is_read(ocr_calls: list[Path]) -> None:
    reason = refused(PDF, files.pdf_of_pages(PAGE, repeat=2000), max_pdf_pages=1000)
    assert reason == "the PDF has 2000 pages; at most 1000 are accepted: split it into parts"
    assert ocr_calls == []


def test_a_spent_time_budget_stops_reading_and_keeps_what_was_read(ocr_calls: list[Path]) -> None:
    assert extract_text(PDF, files.pdf_of_pages(PAGE), ExtractionLimits(budget_seconds=0)) == ""
    assert ocr_calls == []


def test_ocr_that_overruns_its_timeout_is_stopped() -> None:
    reason = refused(PNG, files.image_bytes(PAGE), ocr_timeout_seconds=0.01)
    assert reason.startswith("the image could not be read in time: tesseract did not finish within")


def test_missing_tesseract_is_a_configuration_fault_not_the_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(OcrUnavailable, match="tesseract is not installed"):
        extract_text(PNG, files.image_bytes(PAGE))


# --- through the worker -------------------------------------------------------------------------------------


async def test_missing_ocr_leaves_the_document_waiting_not_rejected(
    clients: Clients, app: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process ingest; the app fixture has set up the search indices as at start-up."""
    data = files.image_bytes(scanned_page("Notulen rapat Forkopimda", f"Nomor {uuid.uuid4().int % 10**6}"))
    result = await upload_document(
        store=clients.store,
        dispatcher=NoDispatch(),
        max_bytes=clients.settings.max_upload_bytes,
        region_code="15.01",
        category=DocumentCategory.MINUTES,
        principal=system_principal("tests"),
        file=IncomingFile(name="notulen.png", stream=io.BytesIO(data), size=len(data)),
    )
    document_id = str(result.document.id)
    with monkeypatch.context() as patched:
        patched.setenv("PATH", "/nonexistent")
        with pytest.raises(OcrUnavailable):
            await ingest_document(clients, document_id)
    assert (await StoredDocument.get(result.document.id)).state is DocumentState.STORED  # type: ignore[union-attr]

    assert await ingest_document(clients, document_id) == "indexed"
    document = await StoredDocument.get(result.document.id)
    assert document is not None
    assert "forkopimda" in words(document.text or "")


async def test_scanned_pdf_uploaded_through_graphql_is_found_by_a_printed_word(
    http: httpx.AsyncClient, clients: Clients, worker: Path
) -> None:
    marker = str(random.randint(100_000, 999_999))
    scan = scanned_page("Surat Keputusan Kepala Badan Kesbangpol", f"Nomor {marker} tentang Tim Pemantauan")
    data = files.pdf_of_pages(scan)
    result = payload(await upload(http, region="31.74", data=data, name="sk-pindaian.pdf", category="DECREE"))
    assert result["errors"] == []
    document = result["document"]

    await wait_for_state(http, document["id"], "INDEXED", worker)
    await clients.es.indices.refresh(index=f"{clients.settings.es_index_prefix}-documents")

    found = (await gql(http, SEARCH, {"q": f"Kesbangpol {marker}"}))["search"]
    assert [hit["document"]["id"] for hit in found["nodes"]] == [document["id"]]
