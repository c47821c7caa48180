"""Streaming XML for office files: expat with every DTD refused, element names reduced to local names.

Office XML (OOXML, ODF) never carries a document type declaration, so one is refused outright: no entity
expansion (billion laughs), no external entities. Nothing is built in memory but the text the handler keeps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol
from xml.parsers import expat

from workers.extraction.errors import ExtractionError
from workers.extraction.limits import Job
from workers.extraction.text import TextFull

log = logging.getLogger(__name__)


class XmlHandler(Protocol):
    def start(self, name: str, attrs: dict[str, str]) -> None: ...

    def end(self, name: str) -> None: ...

    def data(self, text: str) -> None: ...


def local(name: str) -> str:
    """`uri local` (expat's namespaced form) → `local`."""
    return name.rpartition(" ")[2]


class _UnsafeXml(Exception):
    pass


def _refuse(*_args: object) -> None:
    raise _UnsafeXml


def _refuse_external(*_args: object) -> int:
    raise _UnsafeXml


def parse_xml(chunks: Iterable[bytes], handler: XmlHandler, label: str, job: Job) -> None:
    """Feeds the chunks through the handler; stops early, keeping what was read, when the handler's text is
    full or the job's budget is spent."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = lambda name, attrs: handler.start(
        local(name), {local(key): value for key, value in attrs.items()}
    )
    parser.EndElementHandler = lambda name: handler.end(local(name))
    parser.CharacterDataHandler = handler.data
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            if job.expired:
                log.warning("%s: time budget spent; keeping the text read so far", label)
                return
        parser.Parse(b"", True)
    except TextFull:
        return
    except _UnsafeXml:
        raise ExtractionError(
            f"the {label} file was refused: its XML declares a DTD or entities, which office files never need"
        ) from None
    except expat.ExpatError as error:
        raise ExtractionError(f"the {label} file is damaged (XML: {error})") from error
