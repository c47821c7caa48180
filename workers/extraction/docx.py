"""DOCX: the paragraphs of the body, then headers, footers, footnotes, endnotes and comments."""

from __future__ import annotations

import re

from workers.extraction.limits import Job
from workers.extraction.safezip import SafeZip
from workers.extraction.text import TextSink
from workers.extraction.xmltext import parse_xml

_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_LABEL = "DOCX"


class _WordText:
    """Text of `w:t` runs (and DrawingML `a:t` in text boxes); `w:p` ends a line. The fallback copy of
    alternate content (`mc:Fallback`, a second rendering of the same text box) is skipped."""

    def __init__(self, sink: TextSink) -> None:
        self.sink = sink
        self.in_text = 0
        self.skipped = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "Fallback":
            self.skipped += 1
        elif self.skipped:
            return
        elif name == "t":
            self.in_text += 1
        elif name == "tab":
            self.sink.add("\t")
        elif name in ("br", "cr"):
            self.sink.add("\n")

    def end(self, name: str) -> None:
        if name == "Fallback":
            self.skipped -= 1
        elif self.skipped:
            return
        elif name == "t":
            self.in_text -= 1
        elif name == "p":
            self.sink.add("\n")

    def data(self, text: str) -> None:
        if self.in_text and not self.skipped:
            self.sink.add(text)


def _part_order(name: str) -> tuple[bool, str]:
    return (name != "word/document.xml", name)


def extract_docx(data: bytes, job: Job) -> str:
    archive = SafeZip(data, _LABEL, job.limits)
    parts = sorted((name for name in archive.names() if _PARTS.fullmatch(name)), key=_part_order)
    archive.require("word/document.xml")
    sink = TextSink(job.limits.max_text_chars)
    for name in parts:
        if sink.full or job.expired:
            break
        parse_xml(archive.chunks(name), _WordText(sink), _LABEL, job)
    return sink.text()
