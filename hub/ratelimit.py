"""Per-principal budgets kept in Redis: a fixed window per caller, spent atomically.

A window is `window_seconds` long and aligned to the epoch; each request spends its cost (1 for a plain
count, the GraphQL operation's points for the API) from the caller's counter for the current window. One Lua
script reads, spends and sets the expiry, so concurrent API processes share one count and a request that
does not fit is refused without spending its cost (the attempt itself counts 1: a caller refused again and
again does not go unnoticed). Fixed windows let a caller spend up to twice the budget across a window
boundary; that is accepted for the simplicity of one key and one round trip per request.

The script is sent by its digest (EVALSHA), and in full only when Redis does not know it yet. A process also
remembers the buckets it saw spent (SpentBuckets): within a window a count only grows, so a bucket at its
limit stays there until the window ends, and a request from it can be refused before its body is read
without asking Redis again.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from hub.settings import Settings

# KEYS[1]: the counter; ARGV: cost, limit, expiry. Returns the count after this request and 1 when allowed.
_SPEND = """
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local cost = tonumber(ARGV[1])
local allowed = spent + cost <= tonumber(ARGV[2])
if not allowed then cost = math.min(cost, 1) end
local count = redis.call('INCRBY', KEYS[1], cost)
redis.call('EXPIRE', KEYS[1], ARGV[3])
if allowed then return {count, 1} end
return {count, 0}
"""
# The name Redis keeps scripts under (SHA-1 is its choice: an identifier, not a protection).
_SPEND_DIGEST = hashlib.sha1(_SPEND.encode(), usedforsecurity=False).hexdigest()
SPENT_BUCKETS_KEPT = 10_000


class SpentBuckets:
    """The buckets this process saw at or over their limit, each with the window it was in. Exact, not a
    guess: the count of a window never goes down, so such a bucket has nothing left until its window ends.
    Bounded: past SPENT_BUCKETS_KEPT the oldest are forgotten (Redis still refuses them)."""

    def __init__(self, kept: int = SPENT_BUCKETS_KEPT) -> None:
        self._kept = kept
        self._windows: dict[tuple[str, str, int], int] = {}

    def note(self, namespace: str, bucket: str, decision: RateDecision) -> None:
        if decision.count < decision.limit:
            return
        key = (namespace, bucket, decision.limit)
        self._windows.pop(key, None)
        self._windows[key] = decision.window_index
        if len(self._windows) > self._kept:
            del self._windows[next(iter(self._windows))]

    def refusal(
        self, namespace: str, bucket: str, *, limit: int, window_seconds: int, now: float | None = None
    ) -> RateDecision | None:
        """A refusal when `bucket` is known to be spent in the current window; None when not known."""
        key = (namespace, bucket, limit)
        spent_in = self._windows.get(key)
        if spent_in is None:
            return None
        window_index, retry_after = _window(now, window_seconds)
        if spent_in != window_index:
            if spent_in < window_index:
                del self._windows[key]
            return None
        return RateDecision(False, limit, limit, retry_after, window_index)


@dataclass(frozen=True)
class RatePolicy:
    budget: int
    """Cost points per caller and window; 0 turns the limit off."""
    window_seconds: int
    namespace: str
    """Prefixes the keys in the shared Redis."""
    spent: SpentBuckets = field(default_factory=SpentBuckets, compare=False, repr=False)
    """What this process learnt of spent buckets: shared by the checks before a body and the charges."""

    @classmethod
    def from_settings(cls, settings: Settings) -> RatePolicy:
        # The index prefix already names this deployment (and each test session) in shared services.
        return cls(settings.cost_budget_per_window, settings.cost_window_seconds, settings.es_index_prefix)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    """Spent in the current window, this request included."""
    limit: int
    retry_after_seconds: int
    """Whole seconds until the current window ends (at least 1)."""
    window_index: int = 0
    """The window the decision was made in."""

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


def rate_limit_key(namespace: str, bucket: str, window_index: int) -> str:
    return f"{namespace}:ratelimit:{bucket}:{window_index}"


def _window(now: float | None, window_seconds: int) -> tuple[int, int]:
    """(index of the current window, whole seconds until it ends, at least 1)."""
    moment = time.time() if now is None else now
    window_index = int(moment // window_seconds)
    return window_index, max(1, math.ceil((window_index + 1) * window_seconds - moment))


async def take(
    redis: Redis,
    namespace: str,
    bucket: str,
    *,
    limit: int,
    window_seconds: int,
    now: float | None = None,
    cost: int = 1,
) -> RateDecision:
    """Spends `cost` from `bucket` in the current window when it fits within `limit`, and says whether it did.

    Raises the Redis client's errors: the caller decides what an unreachable Redis means.
    """
    window_index, retry_after = _window(now, window_seconds)
    key = rate_limit_key(namespace, bucket, window_index)
    # The key outlives its window a little, never by more than one window: nothing to clean up.
    arguments = (key, max(cost, 0), limit, window_seconds + 1)
    try:
        count, allowed = await redis.evalsha(_SPEND_DIGEST, 1, *arguments)
    except NoScriptError:  # a Redis that has not seen the script yet (restarted, or flushed): send it whole
        count, allowed = await redis.eval(_SPEND, 1, *arguments)
    return RateDecision(bool(allowed), int(count), limit, retry_after, window_index)


async def peek(
    redis: Redis, namespace: str, bucket: str, *, limit: int, window_seconds: int, now: float | None = None
) -> RateDecision:
    """Whether `bucket` has budget left in the current window, spending none of it: for a check before the
    work is known (a request whose operations are counted as they run)."""
    window_index, retry_after = _window(now, window_seconds)
    count = int(await redis.get(rate_limit_key(namespace, bucket, window_index)) or 0)
    return RateDecision(count < limit, count, limit, retry_after, window_index)
