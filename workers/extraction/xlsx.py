"""XLSX: each sheet's name, then its rows, cells separated by tabs; shared strings resolved; in workbook
order (falling back to the sheet files' numbering)."""

from __future__ import annotations

import posixpath
import re

from workers.extraction.limits import Job
from workers.extraction.safezip import SafeZip
from workers.extraction.text import TextFull, TextSink
from workers.extraction.xmltext import parse_xml

_LABEL = "XLSX"
_SHEET_FILE = re.compile(r"xl/worksheets/sheet(\d+)\.xml")


class _SharedStrings:
    """`si` items; their `t` text, leaving out phonetic runs (`rPh`). Kept up to the text cap."""

    def __init__(self, max_chars: int) -> None:
        self.strings: list[str] = []
        self.budget = max_chars
        self.parts: list[str] | None = None
        self.phonetic = 0
        self.in_text = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "si":
            self.parts = []
        elif name == "rPh":
            self.phonetic += 1
        elif name == "t":
            self.in_text = True

    def end(self, name: str) -> None:
        if name == "si" and self.parts is not None:
            value = "".join(self.parts)[: max(self.budget, 0)]
            self.budget -= len(value)
            self.strings.append(value)
            self.parts = None
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "t":
            self.in_text = False

    def data(self, text: str) -> None:
        if self.parts is not None and self.in_text and not self.phonetic:
            self.parts.append(text)


class _SheetText:
    def __init__(self, sink: TextSink, shared: list[str]) -> None:
        self.sink = sink
        self.shared = shared
        self.cells: list[str] = []
        self.cell_type = "n"
        self.value: list[str] | None = None
        self.phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "row":
            self.cells = []
        elif name == "c":
            self.cell_type = attrs.get("t", "n")
        elif name in ("v", "t"):
            self.value = [] if self.value is None else self.value
        elif name == "rPh":
            self.phonetic += 1

    def end(self, name: str) -> None:
        if name == "c":
            self._cell("".join(self.value or ()))
            self.value = None
        elif name == "row" and self.cells:
            self.sink.add("\t".join(self.cells) + "\n")
        elif name == "rPh":
            self.phonetic -= 1

    def _cell(self, raw: str) -> None:
        if self.cell_type == "s":
            index = int(raw) if raw.strip().isdecimal() and len(raw) < 16 else -1
            value = self.shared[index] if 0 <= index < len(self.shared) else ""
        elif self.cell_type in ("b", "e"):
            value = ""  # booleans and error codes (#N/A) say nothing to a search
        else:
            value = raw
        if value.strip():
            self.cells.append(value)

    def data(self, text: str) -> None:
        if self.value is not None and not self.phonetic:
            self.value.append(text)


class _Workbook:
    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "sheet":
            self.sheets.append((attrs.get("name", ""), attrs.get("id", "")))

    def end(self, name: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass


class _Relationships(_Workbook):
    def __init__(self) -> None:
        super().__init__()
        self.targets: dict[str, str] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "Relationship":
            self.targets[attrs.get("Id", "")] = attrs.get("Target", "")


def _sheet_number(name: str) -> int:
    match = _SHEET_FILE.fullmatch(name)
    return int(match.group(1)) if match else -1


def _sheets(archive: SafeZip, job: Job) -> list[tuple[str, str]]:
    """(sheet name, member name) in workbook order."""
    files = sorted((name for name in archive.names() if _SHEET_FILE.fullmatch(name)), key=_sheet_number)
    workbook, relationships = _Workbook(), _Relationships()
    parse_xml(archive.chunks("xl/workbook.xml"), workbook, _LABEL, job)
    if "xl/_rels/workbook.xml.rels" in archive:
        parse_xml(archive.chunks("xl/_rels/workbook.xml.rels"), relationships, _LABEL, job)
    ordered = []
    for sheet_name, relationship in workbook.sheets:
        target = relationships.targets.get(relationship, "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        if member in archive:
            ordered.append((sheet_name, member))
    return ordered or [("", name) for name in files]


def extract_xlsx(data: bytes, job: Job) -> str:
    archive = SafeZip(data, _LABEL, job.limits)
    sheets = _sheets(archive, job)
    shared = _SharedStrings(job.limits.max_text_chars)
    if "xl/sharedStrings.xml" in archive:
        parse_xml(archive.chunks("xl/sharedStrings.xml"), shared, _LABEL, job)
    sink = TextSink(job.limits.max_text_chars)
    try:
        for sheet_name, member in sheets:
            if job.expired:
                break
            sink.add(f"{sheet_name}\n")
            parse_xml(archive.chunks(member), _SheetText(sink, shared.strings), _LABEL, job)
    except TextFull:
        pass
    return sink.text()
