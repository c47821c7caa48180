"""Text extraction from stored bytes, one module per format: bytes in, normalised text out, or
ExtractionError (terminal: the document is rejected with its message) or OcrUnavailable (the machine is
misconfigured: the task fails loudly and the document waits).

Runs in a worker thread; everything it starts (pdftoppm, Tesseract) has a timeout, and the whole stays within
the job's time budget (see limits.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hub.documents.sniff import DOCX, JPEG, ODT, PDF, PNG, TEXT, TIFF, XLSX
from workers.extraction import ocr
from workers.extraction.docx import extract_docx
from workers.extraction.errors import ExtractionError, OcrUnavailable, UnsupportedForExtraction
from workers.extraction.images import extract_image
from workers.extraction.limits import ExtractionLimits, Job
from workers.extraction.odt import extract_odt
from workers.extraction.pdf import extract_pdf
from workers.extraction.text import extract_plain_text, normalise
from workers.extraction.xlsx import extract_xlsx

__all__ = [
    "Extracted",
    "ExtractionError",
    "ExtractionLimits",
    "OcrUnavailable",
    "UnsupportedForExtraction",
    "extract",
    "extract_text",
    "normalise",
]

Extractor = Callable[[bytes, Job], str]

EXTRACTORS: dict[str, Extractor] = {
    PDF: extract_pdf,
    DOCX: extract_docx,
    XLSX: extract_xlsx,
    ODT: extract_odt,
    JPEG: extract_image,
    PNG: extract_image,
    TIFF: extract_image,
    TEXT: lambda data, _job: extract_plain_text(data),
}


@dataclass(frozen=True)
class Extracted:
    text: str
    ocr_confidence: float | None  # 0 to 1, the mean over the words read by OCR; None when none was


def extract(content_type: str, data: bytes, limits: ExtractionLimits | None = None) -> Extracted:
    extractor = EXTRACTORS.get(content_type)
    if extractor is None:
        raise UnsupportedForExtraction(f"text extraction for {content_type} is not available")
    limits = limits or ExtractionLimits()
    job = Job(limits)
    with ocr.collecting(job.ocr_words):
        text = normalise(extractor(data, job), limits.max_text_chars)
    return Extracted(text, job.ocr_confidence)


def extract_text(content_type: str, data: bytes, limits: ExtractionLimits | None = None) -> str:
    return extract(content_type, data, limits).text
