"""What the domain asks to happen next, handed to whatever the composition root plugs in (Celery).

Every request is also recorded in MongoDB by the caller (a document's state, a `needs_index` flag), so a lost
message only delays work: the periodic sweep finds it.

Reports and cases ask for indexing themselves, right where they write their `needs_index` marker
(`request_index`): the request belongs to the write, so no caller can forget it. They reach the dispatcher
of the work in progress (`dispatching`): the app factory runs each request with its own
(hub.http.dispatching), so neither the services nor their callers carry it around, and two apps in one
process (the tests) keep theirs apart. Outside a request (command-line jobs, workers, a test calling a
service) nothing is sent and the sweep indexes. Document services still take their dispatcher as an
argument.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

import anyio.to_thread

log = logging.getLogger(__name__)


class TaskDispatcher(Protocol):
    def ingest_document(self, document_id: str) -> None: ...

    def index_document(self, document_id: str) -> None: ...

    def index_record(self, kind: str, record_id: str) -> None:
        """`kind`: `reports`, `cases` or `documents`."""
        ...

    def notify_event(self, event_id: str) -> None:
        """Fan an outbox event out to the people it concerns (hub.notifications.fanout)."""

    def check_evidence(self, document_id: str) -> None:
        """Check a document's text against what the evidence it is attached as must show (hub.evidence)."""
        ...


class NoDispatch:
    """For command-line jobs that leave follow-up work to the sweep."""

    def ingest_document(self, document_id: str) -> None:
        log.debug("ingest of %s left to the sweep", document_id)

    def index_document(self, document_id: str) -> None:
        log.debug("indexing of %s left to the sweep", document_id)

    def index_record(self, kind: str, record_id: str) -> None:
        log.debug("indexing of %s %s left to the sweep", kind, record_id)

    def notify_event(self, event_id: str) -> None:
        log.debug("notifications of event %s left to the sweep", event_id)

    def check_evidence(self, document_id: str) -> None:
        log.debug("evidence check of %s left to the sweep", document_id)


_SWEEP_ONLY = NoDispatch()
_current: ContextVar[TaskDispatcher | None] = ContextVar("pantau_task_dispatcher", default=None)


@contextmanager
def dispatching(dispatcher: TaskDispatcher) -> Iterator[None]:
    """Runs the block (a request, with the tasks it starts) with `dispatcher` taking the domain's requests."""
    token = _current.set(dispatcher)
    try:
        yield
    finally:
        _current.reset(token)


def current_dispatcher() -> TaskDispatcher:
    """The dispatcher of the work in progress; outside any, one that leaves everything to the sweep."""
    return _current.get() or _SWEEP_ONLY


async def request_evidence_check(document_id: object) -> None:
    """Asks for the check of a document's evidence (hub.evidence.check); when the message cannot be sent,
    the pieces stay PENDING until the next change of the document or the sweep."""
    dispatcher = current_dispatcher()
    try:
        await anyio.to_thread.run_sync(dispatcher.check_evidence, str(document_id))
    except Exception:
        log.warning("could not queue the evidence check of %s; it waits for the sweep", document_id)


async def request_index(kind: str, record_id: object) -> None:
    """Asks for a changed record to be indexed now. The change already carries its `needs_index` marker, so
    when the message cannot be sent (broker down) the sweep indexes it later; the caller never fails."""
    dispatcher = current_dispatcher()
    try:
        await anyio.to_thread.run_sync(dispatcher.index_record, kind, str(record_id))
    except Exception:
        log.warning("could not queue indexing of %s %s; the sweep will pick it up", kind, record_id)


async def request_notify(event_id: str) -> None:
    """Asks for an event's notifications to be written now, off the request. The event is stored with
    `notifications_done` False, so when the message cannot be sent the notification sweep does it."""
    dispatcher = current_dispatcher()
    try:
        await anyio.to_thread.run_sync(dispatcher.notify_event, event_id)
    except Exception:
        log.warning("could not queue the notifications of event %s; the sweep will pick it up", event_id)
