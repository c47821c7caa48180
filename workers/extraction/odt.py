"""ODT: the text of `text:p` and `text:h` elements in content.xml, one per line."""

from __future__ import annotations

from workers.extraction.errors import ExtractionError
from workers.extraction.limits import Job
from workers.extraction.safezip import SafeZip
from workers.extraction.text import TextSink
from workers.extraction.xmltext import parse_xml

_LABEL = "ODT"
_MAX_SPACES = 64


class _OdfText:
    def __init__(self, sink: TextSink) -> None:
        self.sink = sink
        self.depth = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name in ("p", "h"):
            self.depth += 1
        elif not self.depth:
            return
        elif name == "s":  # `text:s text:c="3"`: a run of spaces
            count = attrs.get("c", "1")
            self.sink.add(" " * min(int(count) if count.isdecimal() and len(count) < 6 else 1, _MAX_SPACES))
        elif name == "tab":
            self.sink.add("\t")
        elif name == "line-break":
            self.sink.add("\n")

    def end(self, name: str) -> None:
        if name in ("p", "h") and self.depth:
            self.depth -= 1
            self.sink.add("\n")

    def data(self, text: str) -> None:
        if self.depth:
            self.sink.add(text)


class _Manifest:
    """Notices `manifest:encryption-data`: the parts are encrypted with the document's password."""

    def __init__(self) -> None:
        self.encrypted = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "encryption-data":
            self.encrypted = True

    def end(self, name: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass


def extract_odt(data: bytes, job: Job) -> str:
    archive = SafeZip(data, _LABEL, job.limits)
    if "META-INF/manifest.xml" in archive:
        manifest = _Manifest()
        parse_xml(archive.chunks("META-INF/manifest.xml"), manifest, _LABEL, job)
        if manifest.encrypted:
            raise ExtractionError(f"the {_LABEL} file is password-protected")
    sink = TextSink(job.limits.max_text_chars)
    parse_xml(archive.chunks("content.xml"), _OdfText(sink), _LABEL, job)
    return sink.text()
