"""Per-principal request budgets kept in Redis: a fixed window per caller, counted atomically.

A window is `window_seconds` long and aligned to the epoch; each request increments the caller's counter for
the current window (INCR and EXPIRE in one MULTI/EXEC transaction, so concurrent API processes share one
count). Fixed windows let a caller spend up to twice the budget across a window boundary; that is accepted
for the simplicity of one key and two commands per request.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from hub.settings import Settings


@dataclass(frozen=True)
class RatePolicy:
    requests: int
    """Per caller and window; 0 turns the limit off."""
    window_seconds: int
    namespace: str
    """Prefixes the keys in the shared Redis."""

    @classmethod
    def from_settings(cls, settings: Settings) -> RatePolicy:
        # The index prefix already names this deployment (and each test session) in shared services.
        return cls(settings.rate_limit_requests, settings.rate_limit_window_seconds, settings.es_index_prefix)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    limit: int
    retry_after_seconds: int
    """Whole seconds until the current window ends (at least 1)."""


def rate_limit_key(namespace: str, bucket: str, window_index: int) -> str:
    return f"{namespace}:ratelimit:{bucket}:{window_index}"


def _window(now: float | None, window_seconds: int) -> tuple[int, int]:
    """(index of the current window, whole seconds until it ends, at least 1)."""
    moment = time.time() if now is None else now
    window_index = int(moment // window_seconds)
    return window_index, max(1, math.ceil((window_index + 1) * window_seconds - moment))


async def take(
    redis: Redis, namespace: str, bucket: str, *, limit: int, window_seconds: int, now: float | None = None
) -> RateDecision:
    """Counts one request for `bucket` in the current window and says whether it is within `limit`.

    Raises the Redis client's errors: the caller decides what an unreachable Redis means.
    """
    window_index, retry_after = _window(now, window_seconds)
    key = rate_limit_key(namespace, bucket, window_index)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        # The key outlives its window a little, never by more than one window: nothing to clean up.
        pipe.expire(key, window_seconds + 1)
        count, _ = await pipe.execute()
    return RateDecision(
        allowed=int(count) <= limit, count=int(count), limit=limit, retry_after_seconds=retry_after
    )


async def peek(
    redis: Redis, namespace: str, bucket: str, *, limit: int, window_seconds: int, now: float | None = None
) -> RateDecision:
    """Whether `bucket` has budget left in the current window, spending none of it: for a check before the
    work is known (a request whose operations are counted as they run)."""
    window_index, retry_after = _window(now, window_seconds)
    count = int(await redis.get(rate_limit_key(namespace, bucket, window_index)) or 0)
    return RateDecision(allowed=count < limit, count=count, limit=limit, retry_after_seconds=retry_after)
