"""Content type from the bytes themselves, against an allowlist; file names and client claims are ignored."""

from __future__ import annotations

import zipfile
from typing import BinaryIO

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
TEXT = "text/plain"

ALLOWED = frozenset({PDF, DOCX, XLSX, ODT, JPEG, PNG, TIFF, TEXT})
# The file-name extensions that tell each type truly, the usual one first (hub.documents.names.name_for_type).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: ("pdf",),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
    ODT: ("odt",),
    JPEG: ("jpg", "jpeg", "jpe", "jfif"),
    PNG: ("png",),
    TIFF: ("tif", "tiff"),
    TEXT: ("txt", "text", "csv", "tsv", "log", "md"),
}
HEAD_BYTES = 8192
ZIP_SIGNATURE = b"PK\x03\x04"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)


def _zip_type(stream: BinaryIO) -> str | None:
    """DOCX, XLSX or ODT by the archive's members; any other zip is refused."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # Read a few bytes only: a crafted archive may inflate this member without end.
                with archive.open("mimetype") as member:
                    if member.read(len(ODT) + 8).strip() == ODT.encode():
                        return ODT
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return DOCX
                if any(name.startswith("xl/") for name in names):
                    return XLSX
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, NotImplementedError):
        return None
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the head limit is still text.
        if error.start < len(head) - 3:
            return False
        decoded = head[: error.start].decode("utf-8")
    printable = sum(1 for char in decoded if char.isprintable() or char in "\r\n\t\f")
    return printable >= 0.95 * max(len(decoded), 1)


def is_zip(head: bytes) -> bool:
    """A zip container: its type (DOCX, XLSX, ODT or none) is known only from its directory, at the end."""
    return head.startswith(ZIP_SIGNATURE)


def sniff_head(head: bytes) -> str | None:
    """The allowlisted type told by the first HEAD_BYTES of a file that is not a zip container, or None."""
    if not head:
        return None
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if is_zip(head):
        return None
    return TEXT if _is_text(head) else None


def sniff_content_type(stream: BinaryIO) -> str | None:
    """The allowlisted type of a seekable stream, or None. Leaves the stream at position 0."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if is_zip(head):
        detected = _zip_type(stream)
        stream.seek(0)
        return detected
    return sniff_head(head)
