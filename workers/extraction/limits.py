"""Limits for one extraction, read from the settings, and the wall-clock budget that keeps a document's
extraction inside the Celery task's time limit."""

from __future__ import annotations

import time
from dataclasses import dataclass

from hub.settings import Settings
from workers.extraction.text import MAX_TEXT_CHARS

MiB = 1024 * 1024


@dataclass(frozen=True)
class ExtractionLimits:
    max_pdf_pages: int = 2000
    """PDFs with more pages are rejected; up to this many, every page's text layer is read."""
    max_ocr_pages: int = 50
    """Pages without a text layer (PDF) or image frames (TIFF) that are OCRed; the rest stay unread."""
    ocr_timeout_seconds: float = 60.0
    """Each subprocess (rendering one page, OCR of one image) is killed after this long."""
    budget_seconds: float = 427.5
    """Wall-clock time for one document; OCR stops (keeping the text read so far) when it runs out."""
    max_image_pixels: int = 100_000_000
    """Images (each TIFF frame) with more pixels are rejected before they are decoded."""
    ocr_dpi: int = 200
    max_render_pixels: int = 40_000_000
    """A PDF page is rendered at `ocr_dpi`, or lower when its page size would need more pixels."""
    max_text_chars: int = MAX_TEXT_CHARS
    zip_max_members: int = 10_000
    zip_max_ratio: int = 100
    """Per archive member: uncompressed size / compressed size, checked above `zip_ratio_grace_bytes`."""
    zip_ratio_grace_bytes: int = 1 * MiB
    zip_max_expansion: int = 50
    """All members together: at most this many times the archive's size (but see the two bounds below)."""
    zip_expansion_floor_bytes: int = 10 * MiB
    zip_max_total_bytes: int = 200 * MiB

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractionLimits:
        # A quarter of the worker's soft time limit (workers/celery_app.py) is left for fetching the bytes,
        # recording the text and indexing it.
        soft_limit = settings.task_soft_time_limit_seconds
        return cls(
            max_pdf_pages=settings.max_pdf_pages,
            max_ocr_pages=settings.max_ocr_pages,
            ocr_timeout_seconds=settings.ocr_timeout_seconds,
            budget_seconds=0.75 * soft_limit,
            max_image_pixels=settings.max_image_pixels,
        )

    def zip_cap(self, archive_bytes: int) -> int:
        """How many bytes all members of an archive of this size may expand to."""
        expansion = max(self.zip_max_expansion * archive_bytes, self.zip_expansion_floor_bytes)
        return min(expansion, self.zip_max_total_bytes)


class Job:
    """One document's extraction: its limits and the deadline its budget sets."""

    def __init__(self, limits: ExtractionLimits) -> None:
        self.limits = limits
        self.ocr_words: list[float] = []  # Tesseract's confidence in each word it read (0 to 100)
        self._deadline = time.monotonic() + limits.budget_seconds

    def remaining(self) -> float:
        return self._deadline - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    @property
    def ocr_confidence(self) -> float | None:
        """The mean confidence (0 to 1) in the words OCR read; None when nothing was read by OCR."""
        return sum(self.ocr_words) / len(self.ocr_words) / 100 if self.ocr_words else None

    def call_timeout(self) -> float:
        """The timeout of the next subprocess: its own limit, or less when the budget is nearly spent."""
        return max(min(self.limits.ocr_timeout_seconds, self.remaining()), 0.0)
