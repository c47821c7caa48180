"""One event loop and one set of clients per worker process, opened on first use.

Celery tasks are synchronous; they run their async domain code on this loop. A forked child process
(prefork pool) notices the pid change and opens its own. The search indices are ensured before the first
task and, while Elasticsearch is unreachable, again before each next one; meanwhile tasks still run (text is
extracted and recorded; indexing fails, is retried, and the record keeps its marker for the sweep). Each
process also listens for cache invalidations (hub.caches), and takes in those that arrived while it was idle
before each task.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable
from typing import TypeVar

from hub.caches import InvalidationListener, invalidation_channel, synced
from hub.clients import Clients, open_clients
from hub.events.bus import set_sinks
from hub.events.live import RedisEventSink, live_channel
from hub.notifications.fanout import NotifySink
from hub.settings import get_settings
from search.indices import IndexLayout, ensure_indices_if_reachable

T = TypeVar("T")

_pid: int | None = None
_loop: asyncio.AbstractEventLoop | None = None
_clients: Clients | None = None
_invalidations: InvalidationListener | None = None
_sync: contextlib.ExitStack | None = None
_indices_ready = False


def _ensure() -> tuple[asyncio.AbstractEventLoop, Clients]:
    global _pid, _loop, _clients, _invalidations, _sync, _indices_ready
    if _pid != os.getpid() or _loop is None or _clients is None:
        settings = get_settings()
        loop = asyncio.new_event_loop()
        try:
            clients = loop.run_until_complete(open_clients(settings))
        except BaseException:
            loop.close()
            raise
        _loop, _clients, _pid, _indices_ready = loop, clients, os.getpid(), False
        # Events the tasks emit (case escalation) reach live subscribers through the API processes; their
        # notifications are left to the notification sweep (no dispatcher here: NotifySink only logs).
        set_sinks([RedisEventSink(clients.redis, live_channel(settings)), NotifySink()])
        # Cached reference data is dropped when another process changes it (hub.caches).
        _sync = contextlib.ExitStack()
        _sync.enter_context(synced(clients.redis, settings))
        _invalidations = InvalidationListener(clients.redis, invalidation_channel(settings))
        loop.run_until_complete(_invalidations.start())
    if not _indices_ready:
        _indices_ready = _loop.run_until_complete(
            ensure_indices_if_reachable(
                _clients.es, _clients.settings.es_index_prefix, IndexLayout.of(_clients.settings)
            )
        )
    return _loop, _clients


def run(work: Callable[[Clients], Awaitable[T]]) -> T:
    loop, clients = _ensure()
    if _invalidations is not None:
        loop.run_until_complete(_invalidations.settle())
    return loop.run_until_complete(work(clients))


def shutdown() -> None:
    global _loop, _clients, _invalidations, _sync, _pid, _indices_ready
    if _loop is not None and _clients is not None and _pid == os.getpid():
        if _invalidations is not None:
            _loop.run_until_complete(_invalidations.stop())
        if _sync is not None:
            _sync.close()
        _loop.run_until_complete(_clients.close())
        _loop.close()
    _loop, _clients, _invalidations, _sync, _pid, _indices_ready = None, None, None, None, None, False
    set_sinks([])
