"""/readyz takes the API out of rotation only when it cannot work at all (MongoDB is down); without the object
store, Elasticsearch or Redis it still takes writes, and says `degraded`."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from minio import Minio
from pymongo import AsyncMongoClient
from redis.asyncio import Redis
from starlette.applications import Starlette

from hub.app import create_app
from hub.clients import Clients, make_es
from hub.settings import Settings
from hub.storage import ObjectStore


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _broken(service: str, clients: Clients) -> Clients:
    """`clients` with the one service pointed at a port where nothing listens."""
    address = f"127.0.0.1:{_closed_port()}"
    replacements: dict[str, Callable[[], object]] = {
        "mongodb": lambda: AsyncMongoClient(f"mongodb://{address}", serverSelectionTimeoutMS=500),
        "minio": lambda: ObjectStore(Minio(address, "user", "password-1", secure=False), "bucket"),
        "elasticsearch": lambda: make_es(clients.settings.model_copy(update={"es_url": f"http://{address}"})),
        "redis": lambda: Redis.from_url(f"redis://{address}/0"),
    }
    field = {"mongodb": "mongo", "minio": "store", "elasticsearch": "es", "redis": "redis"}[service]
    return dataclasses.replace(clients, **{field: replacements[service]()})


@pytest.fixture(scope="module")
async def running(settings: Settings, seeded: Clients) -> AsyncIterator[Starlette]:
    application = create_app(settings, shared_clients=seeded)
    async with application.router.lifespan_context(application):
        yield application


@pytest.mark.parametrize(
    ("service", "status", "code"),
    [
        ("mongodb", "unavailable", 503),
        ("minio", "degraded", 200),
        ("elasticsearch", "degraded", 200),
        ("redis", "degraded", 200),
    ],
)
async def test_only_mongodb_down_makes_the_api_unready(
    running: Starlette, seeded: Clients, service: str, status: str, code: int
) -> None:
    broken = _broken(service, seeded)
    running.state.clients = broken
    try:
        transport = httpx.ASGITransport(app=running)
        async with httpx.AsyncClient(transport=transport, base_url="http://pantau.test") as http:
            response = await http.get("/readyz")
    finally:
        running.state.clients = seeded
        if service == "redis":
            await broken.redis.aclose()
        elif service == "elasticsearch":
            await broken.es.close()
        elif service == "mongodb":
            await broken.mongo.close()
    assert response.status_code == code
    services = {name: "ok" for name in ("mongodb", "minio", "elasticsearch", "redis")}
    services[service] = "unreachable"
    body = response.json()
    body.pop("backup")  # reported, never a reason to be unready (test_backup.py)
    assert body == {"status": status, "services": services}


async def test_all_up_is_ready(running: Starlette) -> None:
    transport = httpx.ASGITransport(app=running)
    async with httpx.AsyncClient(transport=transport, base_url="http://pantau.test") as http:
        response = await http.get("/readyz")
    assert (response.status_code, response.json()["status"]) == (200, "ready")
