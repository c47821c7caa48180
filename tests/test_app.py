"""The app as a client sees it: health, readiness naming what is down, GraphiQL, and a real server process."""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from redis.asyncio import Redis

from hub.app import create_app
from hub.clients import Clients
from hub.settings import Environment, Settings
from tests.conftest import Account
from tests.processes import ROOT, settings_env


async def test_health_and_readiness(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert set(body.pop("backup")) == {"lastSuccessAt"}  # reported, never a reason to be unready
    assert body == {
        "status": "ready",
        "services": {"mongodb": "ok", "minio": "ok", "elasticsearch": "ok", "redis": "ok"},
    }


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_readiness_names_the_unreachable_service(settings: Settings, clients: Clients) -> None:
    broken = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{_closed_port()}/0"})
    broken_clients = dataclasses.replace(clients, settings=broken, redis=Redis.from_url(broken.redis_url))
    app = create_app(broken, shared_clients=broken_clients)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pantau.test") as http:
            response = await http.get("/readyz")
    # Without Redis the API still serves reads and takes writes: degraded, not out of rotation.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["services"]["redis"].startswith("unreachable")
    assert {name for name, state in body["services"].items() if state == "ok"} == {
        "mongodb",
        "minio",
        "elasticsearch",
    }


async def test_graphiql_in_development_only(settings: Settings, seeded: Clients) -> None:
    for environment, expected in ((Environment.DEVELOPMENT, 200), (Environment.PRODUCTION, 404)):
        app = create_app(settings.model_copy(update={"environment": environment}), shared_clients=seeded)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://pantau.test") as http:
                page = await http.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == expected, environment
        if expected == 200:
            assert "graphiql" in page.text.lower()


@pytest.fixture
def server(settings: Settings, seeded: Clients) -> Iterator[str]:
    port = _closed_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=settings_env(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    # Generous: a loaded CI machine can take a while to import and connect; the loop ends at once when the
    # server answers or exits.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
        if process.poll() is not None:
            break
    else:
        process.kill()
        process.wait(timeout=20)
    if process.poll() is not None:
        output = process.stdout.read().decode() if process.stdout else ""
        raise RuntimeError(f"`pantau serve` exited:\n{output}")
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_pantau_serve_answers_over_http(server: str, accounts: dict[str, Account]) -> None:
    assert httpx.get(f"{server}/readyz", timeout=10).json()["status"] == "ready"
    query = '{ region(code: "31") { name children { code } } }'
    headers = {"Authorization": f"Bearer {accounts['leader-31'].token}"}
    data = httpx.post(f"{server}/graphql", json={"query": query}, headers=headers, timeout=10).json()["data"]
    assert len(data["region"]["children"]) == 6


async def test_metrics_count_requests_by_route(http: httpx.AsyncClient) -> None:
    await http.get("/healthz")
    text = (await http.get("/metrics")).text
    assert 'pantau_http_requests_total{method="GET",route="/healthz",status="200"}' in text


def test_json_log_lines_carry_extra_fields() -> None:
    import json
    import logging

    from hub.logs import JsonFormatter

    record = logging.makeLogRecord(
        {"msg": "uploaded %s", "args": ("x",), "levelname": "INFO", "document": "d1"}
    )
    line = json.loads(JsonFormatter().format(record))
    assert (line["message"], line["level"], line["document"]) == ("uploaded x", "INFO", "d1")
