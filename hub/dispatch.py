"""What the domain asks to happen next, handed to whatever the composition root plugs in (Celery).

Every request is also recorded in MongoDB by the caller (a document's state, a `needs_index` flag), so a lost
message only delays work: the periodic sweep finds it.
"""

from __future__ import annotations

import logging
from typing import Protocol

import anyio.to_thread

log = logging.getLogger(__name__)


class TaskDispatcher(Protocol):
    def ingest_document(self, document_id: str) -> None: ...

    def index_document(self, document_id: str) -> None: ...

    def index_record(self, kind: str, record_id: str) -> None:
        """`kind`: `reports`, `cases` or `documents`."""
        ...


class NoDispatch:
    """For command-line jobs that leave follow-up work to the sweep."""

    def ingest_document(self, document_id: str) -> None:
        log.debug("ingest of %s left to the sweep", document_id)

    def index_document(self, document_id: str) -> None:
        log.debug("indexing of %s left to the sweep", document_id)

    def index_record(self, kind: str, record_id: str) -> None:
        log.debug("indexing of %s %s left to the sweep", kind, record_id)


async def request_index(dispatcher: TaskDispatcher, kind: str, record_id: object) -> None:
    """Asks for a changed record to be indexed now. The change already carries its `needs_index` marker, so
    when the message cannot be sent (broker down) the sweep indexes it later; the caller never fails."""
    try:
        await anyio.to_thread.run_sync(dispatcher.index_record, kind, str(record_id))
    except Exception:
        log.warning("could not queue indexing of %s %s; the sweep will pick it up", kind, record_id)
