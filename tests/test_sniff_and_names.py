"""Pure checks of what an upload is allowed to be; no services needed."""

from __future__ import annotations

import io
import zipfile

import pytest

from hub.documents.names import FileNameError, clean_file_name, name_for_type
from hub.documents.sniff import DOCX, JPEG, ODT, PDF, PNG, TEXT, TIFF, XLSX, sniff_content_type


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", PDF),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", PNG),
        (b"II*\x00\x08\x00", TIFF),
        (b"MM\x00*\x00\x08", TIFF),
        (b"Laporan pemantauan triwulan I, situasi kondusif.\n", TEXT),
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), DOCX),
        (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}), XLSX),
        (_zip({"mimetype": ODT.encode(), "content.xml": b"<o/>"}), ODT),
    ],
)
def test_allowed_types_are_recognised_by_their_bytes(data: bytes, expected: str) -> None:
    assert sniff_content_type(io.BytesIO(data)) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",  # a Windows executable, whatever its name says
        b"\x7fELF\x02\x01\x01\x00",
        _zip({"payload.exe": b"MZ"}),  # a zip that is no office document
        b"",
        bytes(range(256)) * 4,
    ],
)
def test_other_content_is_refused(data: bytes) -> None:
    assert sniff_content_type(io.BytesIO(data)) is None


def test_sniffing_leaves_the_stream_at_the_start() -> None:
    stream = io.BytesIO(b"%PDF-1.4 rest")
    sniff_content_type(stream)
    assert stream.read(5) == b"%PDF-"


def test_a_multibyte_character_cut_at_the_head_limit_is_still_text() -> None:
    data = ("a" * 8191 + "é").encode()  # é's two bytes straddle the 8 KiB head
    assert sniff_content_type(io.BytesIO(data)) == TEXT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SK Tim Pemantauan 2026.pdf", "SK Tim Pemantauan 2026.pdf"),
        ("  notulen rapat.docx ", "notulen rapat.docx"),
        ("C:\\Users\\operator\\Desktop\\nphd.pdf", "nphd.pdf"),
        ("foto\x07kegiatan.jpg", "fotokegiatan.jpg"),
        (".hidden.txt", "hidden.txt"),
    ],
)
def test_file_names_are_cleaned_for_display(raw: str, expected: str) -> None:
    assert clean_file_name(raw) == expected


def test_long_names_keep_their_extension() -> None:
    cleaned = clean_file_name("x" * 400 + ".pdf")
    assert len(cleaned) == 200
    assert cleaned.endswith(".pdf")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("../../etc/passwd", "parent-directory"),
        ("laporan/../rahasia.pdf", "parent-directory"),
        ("laporan.pdf%00.exe", "NUL"),
        ("laporan.pdf\x00.exe", "NUL"),
        ("", "no name"),
        ("\x01\x02", "empty"),
    ],
)
def test_dangerous_names_are_refused_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(FileNameError, match=reason):
        clean_file_name(raw)


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("photo.png", TEXT, "photo.txt"),  # HTML bytes are text: the name must not promise an image
        ("photo.png", JPEG, "photo.jpg"),  # a phone's JPEG saved as .png
        ("foto.JPEG", JPEG, "foto.JPEG"),  # an extension that tells the type already is kept
        ("scan.tif", TIFF, "scan.tif"),
        ("daftar hadir.csv", TEXT, "daftar hadir.csv"),
        ("laporan.pdf", DOCX, "laporan.docx"),
        ("Notulen rapat", TEXT, "Notulen rapat.txt"),  # no extension: one is added
        ("SK v1.2 final", PDF, "SK v1.2 final.pdf"),  # "2 final" is no extension
        ("x" * 196 + ".pdf", XLSX, "x" * 195 + ".xlsx"),  # still within the length limit
    ],
)
def test_the_display_name_tells_the_sniffed_type(name: str, content_type: str, expected: str) -> None:
    assert name_for_type(name, content_type) == expected
