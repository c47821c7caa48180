"""Operations endpoints: liveness, readiness (which dependency is down) and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hub.clients import Clients
from hub.http.observability import metrics

__all__ = ["healthz", "metrics", "readyz"]


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    clients: Clients = request.app.state.clients
    checks = await clients.readiness()
    failing = {name: reason for name, reason in checks.items() if reason is not None}
    body: dict[str, Any] = {
        "status": "ready" if not failing else "unavailable",
        "services": {
            name: "ok" if reason is None else f"unreachable: {reason}" for name, reason in checks.items()
        },
    }
    return JSONResponse(body, status_code=200 if not failing else 503)
