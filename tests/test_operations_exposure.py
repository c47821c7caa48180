"""Anonymous internals: /readyz names what is down and nothing more; /metrics needs the metrics token, and
without one is hidden in production (open in development and tests)."""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from redis.asyncio import Redis
from starlette.applications import Starlette

from hub.app import create_app
from hub.clients import Clients
from hub.settings import Environment, Settings, SettingsError, load_settings

TOKEN = "metrics-token-for-prometheus-0123456789abcdef"


@asynccontextmanager
async def _app(settings: Settings, clients: Clients, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    changed = settings.model_copy(update=overrides)
    app: Starlette = create_app(changed, shared_clients=dataclasses.replace(clients, settings=changed))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pantau.test") as http:
            yield http


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_readiness_names_what_is_down_and_nothing_more(
    settings: Settings, seeded: Clients, caplog: pytest.LogCaptureFixture
) -> None:
    port = _closed_port()
    broken = dataclasses.replace(seeded, redis=Redis.from_url(f"redis://127.0.0.1:{port}/0"))
    try:
        async with _app(settings, broken) as http:
            with caplog.at_level(logging.WARNING, logger="hub.http.operations"):
                response = await http.get("/readyz")
    finally:
        await broken.redis.aclose()
    assert response.status_code == 200  # degraded: only MongoDB down takes the API out (test_readiness.py)
    body = response.json()
    assert set(body.pop("backup")) == {"lastSuccessAt"}  # a time or null: nothing about the target
    assert body == {
        "status": "degraded",
        "services": {"mongodb": "ok", "minio": "ok", "elasticsearch": "ok", "redis": "unreachable"},
    }
    # Why is for the operator's log.
    [logged] = [record.getMessage() for record in caplog.records if "not ready" in record.getMessage()]
    assert logged.startswith("not ready: redis is unreachable: ") and str(port) in logged


async def test_metrics_are_hidden_in_production_without_a_token(settings: Settings, seeded: Clients) -> None:
    async with _app(settings, seeded, environment=Environment.PRODUCTION) as http:
        for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
            response = await http.get("/metrics", headers=headers)
            assert response.status_code == 404
            assert "pantau_" not in response.text


@pytest.mark.parametrize("environment", [Environment.PRODUCTION, Environment.DEVELOPMENT])
async def test_metrics_need_the_token_when_one_is_set(
    settings: Settings, seeded: Clients, environment: Environment
) -> None:
    async with _app(settings, seeded, environment=environment, metrics_token=SecretStr(TOKEN)) as http:
        for headers in (
            {},
            {"Authorization": f"Bearer {TOKEN[:-1]}"},
            {"Authorization": f"Bearer {TOKEN}x"},
            {"Authorization": f"Basic {TOKEN}"},
            {"Authorization": "Bearer"},
        ):
            refused = await http.get("/metrics", headers=headers)
            assert (refused.status_code, refused.headers.get("www-authenticate")) == (401, "Bearer"), headers
            assert "pantau_" not in refused.text
        scraped = await http.get("/metrics", headers={"Authorization": f"bearer  {TOKEN} "})
    assert scraped.status_code == 200
    assert "pantau_http_requests_total" in scraped.text


async def test_metrics_stay_open_in_development_without_a_token(settings: Settings, seeded: Clients) -> None:
    async with _app(settings, seeded, environment=Environment.DEVELOPMENT) as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert "pantau_http_requests_total" in response.text


VALID = {
    "PANTAU_MONGO_URL": "mongodb://127.0.0.1:27017",
    "PANTAU_MINIO_ENDPOINT": "127.0.0.1:9000",
    "PANTAU_MINIO_ACCESS_KEY": "pantau",
    "PANTAU_MINIO_SECRET_KEY": "secret-secret",
    "PANTAU_ES_URL": "http://127.0.0.1:9200",
    "PANTAU_REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("PANTAU_METRICS_TOKEN", "short", "PANTAU_METRICS_TOKEN is invalid"),
        ("PANTAU_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local", "'proxy.local' is not an IP address"),
    ],
)
def test_bad_settings_are_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str, problem: str
) -> None:
    for key in list(os.environ):
        if key.startswith("PANTAU_"):
            monkeypatch.delenv(key)
    for key, good in VALID.items():
        monkeypatch.setenv(key, good)
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=problem):
        load_settings(tmp_path / "none.env")


def test_an_empty_metrics_token_is_no_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """docker-compose passes an unset optional variable as an empty string."""
    for key in list(os.environ):
        if key.startswith("PANTAU_"):
            monkeypatch.delenv(key)
    for key, good in {**VALID, "PANTAU_METRICS_TOKEN": "", "PANTAU_TRUSTED_PROXIES": ""}.items():
        monkeypatch.setenv(key, good)
    loaded = load_settings(tmp_path / "none.env")
    assert (loaded.metrics_token, loaded.trusted_proxy_networks) == (None, ())
