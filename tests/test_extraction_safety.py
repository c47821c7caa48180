"""Damaged and hostile files: each refused quickly, before it can exhaust the worker, with a reason the
uploader can read (the document is marked rejected with it)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from hub.documents.sniff import DOCX, JPEG, ODT, PDF, PNG, XLSX
from tests import files
from tests.test_extraction import PAGE, refused
from workers.extraction import extract_text

ROOT = Path(__file__).resolve().parents[1]


def test_pdf_encrypted_against_editing_only_is_read_and_a_password_protected_one_refused() -> None:
    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(files.pdf_with_text("Surat Keputusan Bupati"))))
        writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="AES-256")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    assert extract_text(PDF, encrypted("")) == "Surat Keputusan Bupati"
    assert refused(PDF, encrypted("rahasia")) == "the PDF is password-protected"


@pytest.mark.parametrize(
    ("content_type", "make", "reason"),
    [
        (DOCX, lambda: files.docx_with_paragraphs("x")[:200], "the DOCX file is damaged"),
        (ODT, lambda: files.odt_file("<text:p>x</text:p>", manifest_entry="<manifest:encryption-data/>"),
         "the ODT file is password-protected"),
        (XLSX, lambda: files.zip_members({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<workbook"}),
         "the XLSX file is damaged (XML: "),
        (PNG, lambda: files.image_bytes(PAGE)[:3000], "the image cannot be read by OCR"),
        (JPEG, lambda: b"\xff\xd8\xff" + b"\x00" * 64, "the image cannot be read"),
    ],
)  # fmt: skip
def test_damaged_files_are_refused_with_a_reason(
    content_type: str, make: Callable[[], bytes], reason: str
) -> None:
    assert refused(content_type, make()).startswith(reason)


def test_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = files.docx_bomb(megabytes=300)
    assert len(bomb) < 1_000_000
    reason = refused(DOCX, bomb)  # from the central directory: nothing was inflated
    assert reason.startswith("the DOCX file was refused as a possible zip bomb: its part 'word/document.xml'")


def test_zip_bomb_under_the_ratio_is_refused_by_the_total_cap() -> None:
    bomb = files.docx_bomb(megabytes=30)
    reason = refused(DOCX, bomb, zip_max_ratio=10_000)
    assert (
        reason
        == "the DOCX file was refused as a possible zip bomb: its parts expand to 30 MB (at most 10 MB)"
    )


def test_zip_member_that_lies_about_its_size_is_cut_off_at_the_declared_size() -> None:
    honest = files.docx_file(files.word_paragraph("pemilihan " * 400_000))
    lying = files.with_declared_size(honest, "word/document.xml", 1000)
    assert refused(DOCX, lying).startswith("the DOCX file is damaged (word/document.xml: Bad CRC-32")


def test_archive_with_too_many_parts_is_refused_before_its_directory_is_read() -> None:
    reason = refused(DOCX, files.zip_with_members(20_000))
    assert reason == "the DOCX file was refused as a possible zip bomb: it has 20002 parts (at most 10000)"


def test_xml_entity_expansion_is_refused() -> None:
    reason = refused(DOCX, files.docx_file("", document=files.BILLION_LAUGHS))
    assert reason == (
        "the DOCX file was refused: its XML declares a DTD or entities, which office files never need"
    )


def test_image_over_the_pixel_cap_is_refused_before_it_is_decoded() -> None:
    reason = refused(PNG, files.png_pixel_bomb(12_000, 12_000))
    assert reason == "the image is 12000 x 12000 pixels (144 megapixels); at most 100 megapixels are accepted"


def test_ocr_tools_are_installed_by_bootstrap_and_the_image() -> None:
    bootstrap = (ROOT / "infra" / "bootstrap.sh").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("tesseract-ocr", "tesseract-ocr-ind", "poppler-utils"):
        assert package in bootstrap.split("DEBIAN_PACKAGES=(", 1)[1].split(")", 1)[0]
        assert package in dockerfile
