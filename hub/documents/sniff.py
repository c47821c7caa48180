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
MP4 = "video/mp4"
QUICKTIME = "video/quicktime"
WEBM = "video/webm"

# Short videos are stored as they come (no transcoding), under their own size cap (PANTAU_MAX_VIDEO_BYTES).
VIDEOS = frozenset({MP4, QUICKTIME, WEBM})
ALLOWED = frozenset({PDF, DOCX, XLSX, ODT, JPEG, PNG, TIFF, TEXT}) | VIDEOS
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
    MP4: ("mp4", "m4v"),
    QUICKTIME: ("mov", "qt"),
    WEBM: ("webm",),
}
HEAD_BYTES = 8192
ZIP_SIGNATURE = b"PK\x03\x04"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"\x1a\x45\xdf\xa3", WEBM),  # an EBML header; WebM is what phones and browsers record in it
)
# ISO base media files (MP4, MOV, 3GP) begin with an `ftyp` box: size, b"ftyp", then the major brand.
_QUICKTIME_BRAND = b"qt  "
_VIDEO_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"3gp4",
        b"3gp5",
        b"3gp6",
    }
)


def _iso_media_type(head: bytes) -> str | None:
    """MP4 or QuickTime by the `ftyp` box's major brand; other ISO media (HEIC photos, audio) are refused."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return None
    brand = head[8:12]
    if brand == _QUICKTIME_BRAND:
        return QUICKTIME
    return MP4 if brand in _VIDEO_BRANDS else None


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
    video = _iso_media_type(head)
    if video is not None:
        return video
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
