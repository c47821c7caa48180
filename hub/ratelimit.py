"""Per-principal budgets kept in Redis: a fixed window per caller, spent atomically.

A window is `window_seconds` long and aligned to the epoch; each request spends its cost (1 for a plain
count, the GraphQL operation's points for the API) from the caller's counter for the current window. One Lua
script reads, spends and sets the expiry, so concurrent API processes share one count and a request that
does not fit is refused without spending its cost (the attempt itself counts 1: a caller refused again and
again does not go unnoticed). Fixed windows let a caller spend up to twice the budget across a window
boundary; that is accepted for the simplicity of one key and one round trip per request.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from redis.asyncio import Redis

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


@dataclass(frozen=True)
class RatePolicy:
    budget: int
    """Cost points per caller and window; 0 turns the limit off."""
    window_seconds: int
    namespace: str
    """Prefixes the keys in the shared Redis."""

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
    count, allowed = await redis.eval(_SPEND, 1, key, max(cost, 0), limit, window_seconds + 1)
    return RateDecision(allowed=bool(allowed), count=int(count), limit=limit, retry_after_seconds=retry_after)


async def peek(
    redis: Redis, namespace: str, bucket: str, *, limit: int, window_seconds: int, now: float | None = None
) -> RateDecision:
    """Whether `bucket` has budget left in the current window, spending none of it: for a check before the
    work is known (a request whose operations are counted as they run)."""
    window_index, retry_after = _window(now, window_seconds)
    count = int(await redis.get(rate_limit_key(namespace, bucket, window_index)) or 0)
    return RateDecision(allowed=count < limit, count=count, limit=limit, retry_after_seconds=retry_after)
