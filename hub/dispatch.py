"""What the domain asks to happen next, handed to whatever the composition root plugs in (Celery).

Every request is also recorded in MongoDB by the caller (a document's state, a `needs_index` flag), so a lost
message only delays work: the periodic sweep finds it.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class TaskDispatcher(Protocol):
    def ingest_document(self, document_id: str) -> None: ...

    def index_document(self, document_id: str) -> None: ...


class NoDispatch:
    """For command-line jobs that leave follow-up work to the sweep."""

    def ingest_document(self, document_id: str) -> None:
        log.debug("ingest of %s left to the sweep", document_id)

    def index_document(self, document_id: str) -> None:
        log.debug("indexing of %s left to the sweep", document_id)
