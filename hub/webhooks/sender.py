"""One POST of a delivery to a partner's URL, and what it came to."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import httpx

from hub.webhooks.errors import WebhookError
from hub.webhooks.models import DeliveryAttempt
from hub.webhooks.secrets import signature
from hub.webhooks.urls import Target, target

USER_AGENT = "PantauHub-Webhooks/1"
EXCERPT_BYTES = 500
RETRYABLE_STATUS = frozenset({408, 425, 429})


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # network trouble, a timeout, 5xx, 408, 425 or 429
    REFUSED = "refused"  # any other answer, or an address that is not allowed: retrying will not help


@dataclass(frozen=True)
class Request:
    delivery_id: str
    event_kind: str
    url: str
    body: str
    secret: str
    at: datetime


def make_client(timeout: float) -> httpx.AsyncClient:
    """No redirects, no proxies from the environment, no kept-alive connections (each request connects to
    the address checked for it)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


def headers(request: Request) -> dict[str, str]:
    timestamp = int(request.at.timestamp())
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Pantau-Event": request.event_kind,
        "X-Pantau-Delivery": request.delivery_id,
        "X-Pantau-Timestamp": str(timestamp),
        "X-Pantau-Signature": signature(request.secret, timestamp, request.body),
    }


def classify(status_code: int) -> Outcome:
    if 200 <= status_code < 300:
        return Outcome.DELIVERED
    if status_code >= 500 or status_code in RETRYABLE_STATUS:
        return Outcome.RETRY
    return Outcome.REFUSED


async def post(
    client: httpx.AsyncClient, request: Request, *, allow_private: bool, limit: float, manual: bool = False
) -> tuple[Outcome, DeliveryAttempt]:
    """Makes the attempt, bounded by `limit` seconds in all (a partner sending its answer slowly included)."""
    started = time.monotonic()
    status_code: int | None = None
    error: str | None = None
    excerpt: str | None = None
    try:
        async with asyncio.timeout(limit):
            where = await target(request.url, allow_private=allow_private)
            status_code, excerpt = await _exchange(client, request, where)
        outcome = classify(status_code)
    except WebhookError as refused:
        outcome, error = Outcome.REFUSED, refused.message
    except (httpx.HTTPError, OSError) as failure:  # TimeoutError is an OSError
        outcome, error = Outcome.RETRY, f"{type(failure).__name__}: {failure or 'no answer in time'}"[:500]
    attempt = DeliveryAttempt(
        at=request.at,
        url=request.url,
        status_code=status_code,
        error=error,
        duration_ms=round((time.monotonic() - started) * 1000),
        manual=manual,
        response_excerpt=excerpt,
    )
    return outcome, attempt


async def _exchange(client: httpx.AsyncClient, request: Request, where: Target) -> tuple[int, str | None]:
    """Status code and the start of the answer (the rest is not read)."""
    async with client.stream(
        "POST",
        where.url,
        content=request.body.encode(),
        headers={**headers(request), **where.headers},
        extensions=where.extensions,
    ) as response:
        received = b""
        async for chunk in response.aiter_bytes():
            received += chunk
            if len(received) >= EXCERPT_BYTES:
                break
        return response.status_code, received[:EXCERPT_BYTES].decode(errors="replace") or None
