"""Process-local caches of reference data (the region tree) and credentials (hub.access.credential_cache),
kept in step across processes.

A process that changes cached data calls `invalidate(name)`: its own copy is dropped at once, and the name is
published on the deployment's invalidation channel, where every API and worker process listens
(`InvalidationListener`, one per process) and drops its copy too. Pub/sub may lose a message (a process
that was not listening: a Redis outage, a restart); so a cache still expires after `max_age_seconds()`
(PANTAU_REGION_CACHE_SECONDS), and a listener that (re)connects drops every cache, since it may have missed
something meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from redis.asyncio import Redis

from hub.events.listener import ChannelListener
from hub.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_MAX_AGE_SECONDS = 60.0
PUBLISH_TIMEOUT_SECONDS = 2.0
# Event-loop turns a worker gives its listener before a task, to take in what arrived while it was idle.
SETTLE_TURNS = 5

_clearers: dict[str, Callable[[], None]] = {}


def register(name: str, clear: Callable[[], None]) -> None:
    """Makes `clear` the way to drop the process's cache called `name`."""
    _clearers[name] = clear


def clear_local(name: str) -> bool:
    """Drops this process's cache `name`; False when there is no such cache."""
    clear = _clearers.get(name)
    if clear is None:
        return False
    clear()
    return True


def clear_all_local() -> None:
    for clear in _clearers.values():
        clear()


def invalidation_channel(settings: Settings) -> str:
    """The deployment's channel (the index prefix names it, and each test session, as for live events)."""
    return f"{settings.es_index_prefix}:invalidations"


@dataclass(frozen=True)
class _Sync:
    redis: Redis
    channel: str
    max_age_seconds: float
    credential_max_age_seconds: float


_installed: list[_Sync] = []


@contextmanager
def synced(redis: Redis, settings: Settings) -> Iterator[None]:
    """While the block runs, invalidations are published to the deployment's channel and caches expire after
    the configured age (several apps in one process, as in the tests: the innermost one's)."""
    sync = _Sync(
        redis,
        invalidation_channel(settings),
        settings.region_cache_seconds,
        settings.credential_cache_seconds,
    )
    _installed.append(sync)
    try:
        yield
    finally:
        _installed.remove(sync)


def max_age_seconds() -> float:
    return _installed[-1].max_age_seconds if _installed else DEFAULT_MAX_AGE_SECONDS


def credential_max_age_seconds() -> float:
    """How long a process may use what it read about a token (hub.access.credential_cache): 0 when changes
    are not announced, so that a process outside `synced` never holds an ended credential."""
    return _installed[-1].credential_max_age_seconds if _installed else 0.0


async def invalidate(name: str) -> None:
    """Drops the cache `name` here and tells every other process to. Never fails the change that called it:
    when the message cannot be sent, the others catch up when their copy expires."""
    clear_local(name)
    if not _installed:
        return
    sync = _installed[-1]
    try:
        async with asyncio.timeout(PUBLISH_TIMEOUT_SECONDS):
            await sync.redis.publish(sync.channel, name)
    except Exception as error:
        log.warning("could not announce the change of cache %s (%r); the others' copies expire", name, error)


class InvalidationListener(ChannelListener):
    """Drops the named cache of this process for each message on the invalidation channel."""

    def dispatch(self, raw: bytes | str) -> None:
        name = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
        if not clear_local(name):
            log.debug("invalidation of unknown cache %r ignored", name)

    def on_connected(self, connected: bool) -> None:
        if connected:
            clear_all_local()  # what was published while not listening is lost: start afresh

    async def settle(self) -> None:
        """Gives the listener a few turns of the event loop. A worker's loop runs only during its tasks, so
        invalidations that arrived in between wait on the socket; a task first lets them be taken in."""
        for _ in range(SETTLE_TURNS):
            await asyncio.sleep(0)
