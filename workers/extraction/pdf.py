"""PDF: the text layer of every page (pypdf), and OCR of the pages without one (pdftoppm, then Tesseract),
one page at a time.

Limits: a PDF with more than `max_pdf_pages` pages is rejected; of the pages without a text layer, the first
`max_ocr_pages` are OCRed and the others left unread (logged); when the job's time budget is spent, reading
stops and the text read so far is kept.
"""

from __future__ import annotations

import io
import logging
import math
import tempfile
from pathlib import Path

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from workers.extraction import ocr
from workers.extraction.errors import ExtractionError
from workers.extraction.limits import Job

log = logging.getLogger(__name__)

MIN_TEXT_LAYER_CHARS = 16
"""A page whose text layer has fewer visible characters (none, or a stamped page number) is OCRed."""
# What pypdf raises on malformed files, besides its own errors.
_PARSE_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    RecursionError,
    NotImplementedError,  # an unknown stream filter
)
_POINTS_PER_INCH = 72


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        # Many official PDFs are encrypted only against editing: they open with the empty password.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ExtractionError("the PDF is password-protected")
        return reader
    except DependencyError as error:
        raise ExtractionError(f"the PDF uses an encryption this server cannot open: {error}") from error
    except _PARSE_ERRORS as error:
        raise ExtractionError(f"the PDF cannot be read: {error}") from error


def _page_text(page: PageObject, number: int) -> str:
    try:
        return page.extract_text() or ""
    except _PARSE_ERRORS as error:
        log.warning("PDF page %d: no text layer could be read (%s); it will be OCRed", number, error)
        return ""


def _render_dpi(page: PageObject, job: Job) -> int:
    """The OCR resolution, lowered for large pages so that no rendering exceeds the pixel cap."""
    try:
        box = page.cropbox
        area = (abs(float(box.width)) / _POINTS_PER_INCH) * (abs(float(box.height)) / _POINTS_PER_INCH)
    except _PARSE_ERRORS:
        area = 8.27 * 11.69  # A4
    limit = math.sqrt(job.limits.max_render_pixels / area) if area > 0 else job.limits.ocr_dpi
    return max(min(job.limits.ocr_dpi, int(limit)), 10)


def _ocr_pages(
    data: bytes, reader: PdfReader, pages: list[int], job: Job
) -> tuple[dict[int, str], list[str]]:
    """Text of the given pages (0-based) by OCR, in order, until the budget is spent; and why pages that
    could not be read were skipped."""
    texts: dict[int, str] = {}
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pantau-ocr-") as scratch:
        pdf = Path(scratch) / "document.pdf"
        pdf.write_bytes(data)
        for done, index in enumerate(pages):
            if job.expired:
                log.warning("PDF: time budget spent after OCR of %d of %d pages", done, len(pages))
                break
            try:
                dpi = _render_dpi(reader.pages[index], job)
                image = ocr.render_page(pdf, index + 1, dpi, job.call_timeout())
                texts[index] = ocr.tesseract(image, job.call_timeout(), dpi=dpi)
                image.unlink()
            except (ExtractionError, ocr.ToolTimeout) as error:
                log.warning("PDF page %d skipped: %s", index + 1, error)
                failures.append(str(error))
    return texts, failures


def extract_pdf(data: bytes, job: Job) -> str:
    reader = _open(data)
    try:
        count = len(reader.pages)
    except _PARSE_ERRORS as error:
        raise ExtractionError(f"the PDF cannot be read: {error}") from error
    if count > job.limits.max_pdf_pages:
        raise ExtractionError(
            f"the PDF has {count} pages; at most {job.limits.max_pdf_pages} are accepted: split it into parts"
        )
    layer: list[str] = []
    total = 0
    for index in range(count):
        if job.expired or total >= job.limits.max_text_chars:
            log.warning("PDF: stopped reading the text layer after %d of %d pages", index, count)
            break
        text = _page_text(reader.pages[index], index + 1)
        layer.append(text)
        total += len(text)
    textless = [index for index, text in enumerate(layer) if _visible(text) < MIN_TEXT_LAYER_CHARS]
    to_ocr = textless[: job.limits.max_ocr_pages]
    if len(textless) > len(to_ocr):
        log.warning(
            "PDF: %d pages without a text layer; OCR limited to the first %d", len(textless), len(to_ocr)
        )
    scanned, failures = _ocr_pages(data, reader, to_ocr, job) if to_ocr else ({}, [])
    text = "\n".join(
        "\n".join(part for part in (text, scanned.get(index, "")) if part) for index, text in enumerate(layer)
    )
    if failures and not text.strip():
        raise ExtractionError(f"no text could be read from the scanned pages: {failures[0]}")
    return text


def _visible(text: str) -> int:
    return sum(1 for char in text if not char.isspace())
