"""Text extraction from stored bytes. Pure functions: bytes in, text out, or ExtractionError (terminal)."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from hub.documents.sniff import PDF, TEXT

MAX_PDF_PAGES = 2000
MAX_TEXT_CHARS = 5_000_000


class ExtractionError(Exception):
    """The file cannot be read: retrying will not help. The message is shown to the uploader."""


class UnsupportedForExtraction(ExtractionError):
    pass


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\x00", "")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:MAX_TEXT_CHARS]


def extract_pdf(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError("the PDF is password-protected")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ExtractionError(f"the PDF has more than {MAX_PDF_PAGES} pages")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ExtractionError(f"the PDF cannot be read: {error}") from error


def extract_plain_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def extract_text(content_type: str, data: bytes) -> str:
    if content_type == PDF:
        return normalise(extract_pdf(data))
    if content_type == TEXT:
        return normalise(extract_plain_text(data))
    raise UnsupportedForExtraction(f"text extraction for {content_type} is not available yet")
