"""The kinds of record the search index holds, and what the indexer needs to know about each: its model, its
index, the counter that is its external version, how it looks in the index and whether it belongs there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from beanie import Document

from hub.cases.models import Case
from hub.documents.models import DocumentState, StoredDocument
from hub.reports.models import Report
from search.indices import CASES, DOCUMENTS, REPORTS, IndexDefinition
from search.sources import case_source, document_source, report_source

_SEARCHABLE_DOCUMENT_STATES = (DocumentState.EXTRACTED.value, DocumentState.INDEXED.value)


def _always(record: Any) -> bool:
    return True


def document_is_live(document: StoredDocument) -> bool:
    """Searchable: its text is extracted, and it is neither rejected nor in the trash."""
    return document.deleted_at is None and document.state.value in _SEARCHABLE_DOCUMENT_STATES


def _document_marker_update(document: StoredDocument) -> dict[str, Any]:
    update: dict[str, Any] = {}
    if document.state is DocumentState.EXTRACTED:
        update["state"] = DocumentState.INDEXED.value
    return update


def _nothing(record: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class RecordKind:
    name: str
    model: type[Document]
    definition: IndexDefinition
    counter: str  # the field that grows with every change: the external version in the index
    source: Callable[[Any], dict[str, Any]]
    is_live: Callable[[Any], bool] = _always  # False: the record must not be in the index (deleted there)
    # Extra fields set when the marker is cleared after indexing (a document becomes `indexed`).
    on_indexed: Callable[[Any], dict[str, Any]] = _nothing
    # MongoDB filter narrowing what a rebuild reads (is_live still decides).
    rebuild_filter: dict[str, Any] = field(default_factory=dict)

    def version_of(self, record: Any) -> int:
        return int(getattr(record, self.counter))

    def alias(self, prefix: str) -> str:
        return self.definition.alias(prefix)


REPORT_KIND = RecordKind(
    name="reports", model=Report, definition=REPORTS, counter="version", source=report_source
)
CASE_KIND = RecordKind(name="cases", model=Case, definition=CASES, counter="version", source=case_source)
DOCUMENT_KIND = RecordKind(
    name="documents",
    model=StoredDocument,
    definition=DOCUMENTS,
    counter="revision",
    source=document_source,
    is_live=document_is_live,
    on_indexed=_document_marker_update,
    rebuild_filter={"state": {"$in": list(_SEARCHABLE_DOCUMENT_STATES)}, "deleted_at": None},
)

KINDS: dict[str, RecordKind] = {kind.name: kind for kind in (REPORT_KIND, CASE_KIND, DOCUMENT_KIND)}


def kind_named(name: str) -> RecordKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown record kind {name!r}; one of {', '.join(KINDS)}") from None
