"""The OCR and rendering tools, as subprocesses with timeouts: Tesseract with the Indonesian model, and
Poppler's pdftoppm for PDF pages without a text layer."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from workers.extraction.errors import ExtractionError, OcrUnavailable

LANGUAGE = "ind"
_MISSING_LANGUAGE = ("Failed loading language", "Error opening data file", "Could not initialize tesseract")


class ToolTimeout(Exception):
    def __init__(self, tool: str, seconds: float) -> None:
        super().__init__(f"{tool} did not finish within {seconds:.3g} s")


def _run(command: list[str], timeout: float, package: str) -> subprocess.CompletedProcess[bytes]:
    if timeout <= 0:
        raise ToolTimeout(command[0], timeout)
    # One thread per Tesseract: the worker runs several documents at once, and on these machines a
    # single-threaded Tesseract is also the faster one for a page.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        return subprocess.run(
            command, capture_output=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL, check=False
        )
    except FileNotFoundError as error:
        raise OcrUnavailable(f"{command[0]} is not installed on this worker (Debian: {package})") from error
    except subprocess.TimeoutExpired as error:
        raise ToolTimeout(command[0], timeout) from error


def _last_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else "no details"


def word_confidences(tsv: str) -> list[float]:
    """Tesseract's confidence (0 to 100) in each word it read, from its TSV output (level 5 rows are words;
    -1 marks rows without a word)."""
    found = []
    for line in tsv.splitlines()[1:]:
        columns = line.split("\t")
        if len(columns) >= 12 and columns[0] == "5" and columns[11].strip():
            try:
                confidence = float(columns[10])
            except ValueError:
                continue
            if confidence >= 0:
                found.append(confidence)
    return found


# Where the confidences of the words read go, while an extraction collects them (`collecting`).
_WORDS: ContextVar[list[float] | None] = ContextVar("pantau_ocr_words", default=None)


@contextmanager
def collecting(words: list[float]) -> Iterator[None]:
    """Every Tesseract run inside the block (in this thread) appends its words' confidences to `words`."""
    token = _WORDS.set(words)
    try:
        yield
    finally:
        _WORDS.reset(token)


def tesseract(image: Path, timeout: float, dpi: int | None = None) -> str:
    """The text Tesseract reads in the image (the confidences of its words go where `collecting` says).
    Raises ToolTimeout, ExtractionError (it cannot read the image) or OcrUnavailable (the tool or its
    Indonesian model is missing)."""
    # One run writes the text and the word table (with confidences) beside the image.
    output = image.with_name(f"{image.stem}-ocr")
    command = ["tesseract", str(image), str(output), "-l", LANGUAGE]
    if dpi is not None:
        command += ["--dpi", str(dpi)]
    command += ["txt", "tsv"]
    result = _run(command, timeout, "tesseract-ocr")
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace")
        if any(marker in stderr for marker in _MISSING_LANGUAGE):
            raise OcrUnavailable(
                f"tesseract cannot load its '{LANGUAGE}' model (Debian: tesseract-ocr-{LANGUAGE}): "
                f"{_last_line(result.stderr)}"
            )
        raise ExtractionError(f"the image cannot be read by OCR ({_last_line(result.stderr)})")
    text_file, table_file = output.with_suffix(".txt"), output.with_suffix(".tsv")
    try:
        text = text_file.read_bytes().decode("utf-8", "replace")
        words = _WORDS.get()
        if words is not None:
            words.extend(word_confidences(table_file.read_bytes().decode("utf-8", "replace")))
    except FileNotFoundError as error:
        raise ExtractionError(f"OCR wrote no output ({_last_line(result.stderr)})") from error
    finally:
        text_file.unlink(missing_ok=True)
        table_file.unlink(missing_ok=True)
    return text


def render_page(pdf: Path, page: int, dpi: int, timeout: float) -> Path:
    """Page `page` (1-based) as a grey PNG next to the PDF. Raises ToolTimeout, ExtractionError or
    OcrUnavailable."""
    root = pdf.with_name(f"page-{page}")
    command = ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", "-png", "-singlefile"]
    result = _run([*command, str(pdf), str(root)], timeout, "poppler-utils")
    image = root.with_suffix(".png")
    if result.returncode != 0 or not image.is_file():
        raise ExtractionError(f"page {page} of the PDF cannot be rendered ({_last_line(result.stderr)})")
    return image
