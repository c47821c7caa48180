"""A few seconds' memory of what a bearer token stands for, so that a request does not read its user and
session (or its partner grant) from MongoDB every time: under load those two lookups were a quarter of the
MongoDB commands of a list request.

Only what passed is remembered: a user's principal under (database, user, session), a partner grant under
(database, grant); a grant's secret, revocation and expiry are still checked at every request against the
remembered grant. Every change that could end or narrow a credential (a user deactivated or given another
role, a session revoked or logged out, a grant revoked, extended or rescoped) calls `forget_credentials`:
this process forgets at once and every other process when the announcement reaches it (hub.caches, Redis
pub/sub, normally milliseconds). Should that message be lost, an entry is used at most
PANTAU_CREDENTIAL_CACHE_SECONDS after it was read. Without the announcements (a process that does not run
`hub.caches.synced`, such as a command-line tool) nothing is remembered.

A lookup that started before a change and ends after it must not put back what the change ended: each entry
is stored only if no change was announced while it was being read (`generation`).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from hub import caches
from hub.access.models import PartnerGrant
from hub.access.principal import Principal

CREDENTIALS_CACHE = "access.credentials"
MAX_ENTRIES = 20_000  # tokens in use at once; the oldest entry goes first beyond this

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TimedCache(Generic[K, V]):
    """A bounded map whose entries are used only while younger than the age the caller asks for."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self.generation = 0  # bumped by every clear

    def get(self, key: K, max_age: float) -> V | None:
        found = self._entries.get(key)
        if found is None:
            return None
        if time.monotonic() - found[0] >= max_age:
            del self._entries[key]
            return None
        return found[1]

    def put(self, key: K, value: V, generation: int) -> None:
        """Stores `value` unless the cache was cleared since `generation` was read."""
        if generation != self.generation:
            return
        self._entries[key] = (time.monotonic(), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


principals: TimedCache[tuple[str, str, str], Principal] = TimedCache()
grants: TimedCache[tuple[str, str], PartnerGrant] = TimedCache()  # read-only: never changed in place


def _clear() -> None:
    principals.clear()
    grants.clear()


caches.register(CREDENTIALS_CACHE, _clear)


def max_age_seconds() -> float:
    """How long an entry may be used: 0 (nothing remembered) when changes are not announced."""
    return caches.credential_max_age_seconds()


async def forget_credentials() -> None:
    """After a change that may end or narrow a credential: every process reads credentials afresh."""
    await caches.invalidate(CREDENTIALS_CACHE)
