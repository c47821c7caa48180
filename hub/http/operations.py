"""Operations endpoints: liveness, readiness (which dependency is down) and Prometheus metrics.

Anyone who can reach the API can reach these, so they say no more than an operator's tools need:
- `/healthz`: the process answers.
- `/readyz`: which dependency is down, by name only; 503 only when MongoDB is (see REQUIRED), `degraded` when
  another is. Why it is down (error text, host names, ports) is logged, not answered.
- `/metrics`: behind a bearer token (PANTAU_METRICS_TOKEN) that Prometheus sends. Without a token set it
  answers 404 in production (as if it did not exist) and stays open in development and tests.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from hub.clients import Clients
from hub.http.observability import backup_last_success, metrics
from hub.settings import Settings

__all__ = ["healthz", "metrics_endpoint", "readyz"]
log = logging.getLogger(__name__)
Endpoint = Callable[[Request], Awaitable[Response]]


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


# What the API cannot serve without: MongoDB (the source of truth). Without Elasticsearch, the object store or
# Redis it still takes writes (indexing waits for the sweep, events and limits degrade): `degraded`, 200, so
# that a load balancer keeps the process in rotation.
REQUIRED = frozenset({"mongodb"})


async def readyz(request: Request) -> Response:
    clients: Clients = request.app.state.clients
    checks = await clients.readiness()
    failing = {name: reason for name, reason in checks.items() if reason is not None}
    for name, reason in failing.items():
        log.warning("not ready: %s is unreachable: %s", name, reason, extra={"service": name})
    ready = not failing.keys() & REQUIRED
    body: dict[str, object] = {
        "status": "unavailable" if not ready else "degraded" if failing else "ready",
        "services": {name: "ok" if reason is None else "unreachable" for name, reason in checks.items()},
    }
    # Reported, never a reason to be unready: an overdue backup is an alert (the metric), not an outage.
    body["backup"] = {"lastSuccessAt": await backup_last_success()}
    return JSONResponse(body, status_code=200 if ready else 503)


def _bearer(header: str | None) -> bytes | None:
    scheme, _, token = (header or "").partition(" ")
    return token.strip().encode() if scheme.lower() == "bearer" and token.strip() else None


async def _not_found(request: Request) -> Response:
    return PlainTextResponse("Not Found", status_code=404)


def metrics_endpoint(settings: Settings) -> Endpoint:
    """/metrics as the settings want it: guarded by the token, hidden, or open (development, tests)."""
    if settings.metrics_token is None:
        return _not_found if settings.is_production else metrics
    expected = settings.metrics_token.get_secret_value().encode()

    async def guarded(request: Request) -> Response:
        presented = _bearer(request.headers.get("authorization"))
        if presented is None or not hmac.compare_digest(presented, expected):
            return PlainTextResponse(
                "a bearer token is required", status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        return await metrics(request)

    return guarded
