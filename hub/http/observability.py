"""Prometheus metrics of the API's HTTP requests, and the endpoint that serves every metric."""

from __future__ import annotations

import asyncio
import logging
import time

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.backup.runs import RunStatus, last_run, last_success
from hub.http.responses import WatchedSend

log = logging.getLogger(__name__)

REQUESTS = Counter("pantau_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "pantau_http_request_duration_seconds",
    "HTTP request duration",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
# Backups run in the worker; every API process reports them from their records in MongoDB when scraped.
# Alert when time() - pantau_backup_last_success_timestamp_seconds exceeds about twice the interval.
BACKUP_LAST_SUCCESS = Gauge(
    "pantau_backup_last_success_timestamp_seconds", "When the last backup succeeded (Unix time; 0: never)"
)
BACKUP_LAST_FAILED = Gauge("pantau_backup_last_run_failed", "1 when the latest finished backup run failed")
BACKUP_READ_TIMEOUT_SECONDS = 2.0


class MetricsMiddleware:
    """Counts requests and their durations per route (the path template, so ids do not explode labels)."""

    KNOWN_ROUTES = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = scope["path"] if scope["path"] in self.KNOWN_ROUTES else "other"
        started = time.perf_counter()
        watched = WatchedSend(send)
        try:
            await self.app(scope, receive, watched)
        finally:
            status = watched.status if watched.status is not None else 500  # no answer: the app failed
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(time.perf_counter() - started)


async def backup_last_success() -> str | None:
    """When the last backup succeeded (ISO 8601), or None: never, or its record cannot be read now."""
    try:
        moment = await asyncio.wait_for(last_success(), BACKUP_READ_TIMEOUT_SECONDS)
    except Exception as error:
        log.warning("backup status not read: %r", error)
        return None
    return moment.isoformat() if moment is not None else None


async def refresh_backup_gauges() -> None:
    try:
        succeeded, latest = await asyncio.wait_for(
            asyncio.gather(last_success(), last_run()), BACKUP_READ_TIMEOUT_SECONDS
        )
    except Exception as error:  # the metrics keep their last values
        log.warning("backup metrics not refreshed: %r", error)
        return
    BACKUP_LAST_SUCCESS.set(succeeded.timestamp() if succeeded is not None else 0)
    BACKUP_LAST_FAILED.set(1 if latest is not None and latest.status is RunStatus.FAILED else 0)


async def metrics(request: Request) -> Response:
    await refresh_backup_gauges()
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
