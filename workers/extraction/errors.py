"""What can go wrong while extracting, split by who can fix it."""

from __future__ import annotations


class ExtractionError(Exception):
    """The file cannot be read: retrying will not help. The message is shown to the uploader."""


class UnsupportedForExtraction(ExtractionError):
    """No extractor exists for this content type; the document is indexed by its metadata only."""


class OcrUnavailable(RuntimeError):
    """The machine cannot OCR (a tool or the Indonesian language data is missing): a configuration fault.

    Not an ExtractionError: the document is not to blame, so it stays `stored` and the task fails loudly;
    once the machine is fixed the sweep extracts it.
    """
