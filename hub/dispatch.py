"""What the domain asks to happen next, handed to whatever the composition root plugs in (Celery).

Every request is also recorded in MongoDB by the caller (a document's state, a `needs_index` flag), so a lost
message only delays work: the periodic sweep finds it.

Reports and cases ask for indexing themselves, right where they write their `needs_index` marker
(`request_index`), through the dispatcher the composition root installs once for the process
(`dispatcher_installed`, as the event bus's sinks are): the request belongs to the write, so no caller can
forget it, and no service or caller has to carry the dispatcher around for it. Where nothing is installed
(command-line jobs, workers) the sweep indexes. Document services still take their dispatcher as an argument.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
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


_NO_DISPATCH = NoDispatch()
_installed: list[TaskDispatcher] = []


@contextmanager
def dispatcher_installed(dispatcher: TaskDispatcher) -> Iterator[None]:
    """Makes `dispatcher` the process's while the block runs (the app's lifespan), then puts back what was
    there before (several apps may live in one process, as in the tests; the innermost one's is in use)."""
    _installed.append(dispatcher)
    try:
        yield
    finally:
        for index in range(len(_installed) - 1, -1, -1):
            if _installed[index] is dispatcher:
                del _installed[index]
                break


def installed_dispatcher() -> TaskDispatcher:
    return _installed[-1] if _installed else _NO_DISPATCH


async def request_index(kind: str, record_id: object) -> None:
    """Asks for a changed record to be indexed now. The change already carries its `needs_index` marker, so
    when the message cannot be sent (broker down) the sweep indexes it later; the caller never fails."""
    dispatcher = installed_dispatcher()
    try:
        await anyio.to_thread.run_sync(dispatcher.index_record, kind, str(record_id))
    except Exception:
        log.warning("could not queue indexing of %s %s; the sweep will pick it up", kind, record_id)
