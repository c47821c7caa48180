"""Small files with known text: text PDFs (extraction reads their text layer) and scanned pages as PNG images
(OCR reads them). Rendered deterministically: the same lines give the same bytes."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

PDF = "application/pdf"
PNG = "image/png"
_FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
# A page scanned at ~100 dpi: small files, still legible for Tesseract at this type size.
SCAN_SIZE = (1240, 880)
SCAN_FONT_PX = 26


@dataclass(frozen=True)
class DemoFile:
    data: bytes
    content_type: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        return "pdf" if self.content_type == PDF else "png"


def text_pdf(title: str, lines: list[str]) -> DemoFile:
    buffer = io.BytesIO()
    # invariant: no creation date or random document id, so the bytes depend on the text alone.
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setFont("Helvetica-Bold", 12)
    page.drawString(72, 790, title)
    page.setFont("Helvetica", 10)
    y = 760
    for line in lines:
        for chunk in _wrap(line, 95):
            page.drawString(72, y, chunk)
            y -= 15
    page.showPage()
    page.save()
    return DemoFile(buffer.getvalue(), PDF, "\n".join([title, *lines]))


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_FONT), SCAN_FONT_PX)


def scanned_png(title: str, lines: list[str]) -> DemoFile:
    # Black and white, as a document scanner's fax mode: small files, quick to make.
    page = Image.new("1", SCAN_SIZE, 1)
    draw = ImageDraw.Draw(page)
    y = 60
    for number, line in enumerate([title, *lines]):
        for chunk in _wrap(line, 70):
            draw.text((60, y), chunk, font=_font(), fill=0)
            y += int(SCAN_FONT_PX * 1.5)
        if number == 0:
            y += SCAN_FONT_PX
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    return DemoFile(buffer.getvalue(), PNG, "\n".join([title, *lines]))


def _wrap(line: str, width: int) -> list[str]:
    words, chunks, current = line.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            chunks.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*chunks, current] if current else chunks
