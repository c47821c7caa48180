"""P7: OCR of one scanned page through the worker's extraction (what the ingest task runs on a document's
bytes: format checks, temporary files, the tools with their time limits, normalised text) against the
commands a person would type, with the same flags and DPI: `tesseract scan.png stdout -l ind` for the PNG,
and `pdftoppm -r 200 -gray -png -singlefile` then `tesseract --dpi 200` for the image-only PDF. Both sides
must read identical text (after the worker's normalisation). ABBA order, after warm-ups.

Run:  uv run python -m tests.benchmarks.ocr_page [--rounds 20]
The fixtures (tests/benchmarks/fixtures, made by make_fixtures.py) are committed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import tempfile
import time
from pathlib import Path

from hub.documents.sniff import PDF, PNG
from tests.benchmarks.harness import abba, load_average, record
from workers.extraction import ExtractionLimits, extract_text, normalise
from workers.extraction.ocr import LANGUAGE

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WARM_UPS = 3  # each run is a whole OCR: a few are enough to have the model files in the page cache
DPI = 200  # the worker's rendering resolution for a page of this size (ExtractionLimits.ocr_dpi)
# As the worker runs Tesseract (workers/extraction/ocr.py): one thread.
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _run(command: list[str]) -> bytes:
    return subprocess.run(command, capture_output=True, check=True, env=ENV, stdin=subprocess.DEVNULL).stdout


def command_png(path: Path) -> str:
    return _run(["tesseract", str(path), "stdout", "-l", LANGUAGE]).decode("utf-8", "replace")


def command_pdf(path: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="pantau-bench-ocr-") as scratch:
        root = Path(scratch) / "page"
        _run(
            [
                "pdftoppm",
                "-f",
                "1",
                "-l",
                "1",
                "-r",
                str(DPI),
                "-gray",
                "-png",
                "-singlefile",
                str(path),
                str(root),
            ]
        )
        image = root.with_suffix(".png")
        return _run(["tesseract", str(image), "stdout", "-l", LANGUAGE, "--dpi", str(DPI)]).decode(
            "utf-8", "replace"
        )


async def compare(
    name: str, content_type: str, path: Path, data: bytes, command: object, rounds: int
) -> float:
    limits = ExtractionLimits()
    assert limits.ocr_dpi == DPI
    worker_text = extract_text(content_type, data, limits)
    command_text = normalise(command(path), limits.max_text_chars)  # type: ignore[operator]
    assert worker_text == command_text, (worker_text, command_text)
    assert "KESBANGPOL" in worker_text, worker_text

    async def worker() -> float:
        started = time.perf_counter()
        extract_text(content_type, data, limits)
        return time.perf_counter() - started

    async def by_hand() -> float:
        started = time.perf_counter()
        command(path)  # type: ignore[operator]
        return time.perf_counter() - started

    comparison = await abba(name, worker, by_hand, rounds, warm_ups=WARM_UPS)
    print(comparison.lines(unit="s", scale=1.0, hub="worker extraction", raw="the commands"))
    return comparison.ratio


async def main(rounds: int) -> None:
    print(f"P7: OCR of one page, identical text on both sides (load average {load_average()})")
    png, pdf = FIXTURES / "scan.png", FIXTURES / "scan.pdf"
    png_ratio = await compare("scan.png (200 DPI)", PNG, png, png.read_bytes(), command_png, rounds)
    pdf_ratio = await compare("scan.pdf (image only)", PDF, pdf, pdf.read_bytes(), command_pdf, rounds)
    record(p7_ratio=round(png_ratio, 3), p7_pdf_ratio=round(pdf_ratio, 3))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    asyncio.run(main(parser.parse_args().rounds))
