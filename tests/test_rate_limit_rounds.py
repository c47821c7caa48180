"""The per-principal budget asks Redis once per GraphQL request (the operation's charge), and a bucket seen
spent is refused before its body is read without asking again: a window's count never goes down.

Redis round trips are counted by what an unreachable Redis makes the hub log: one warning per attempt.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import socket
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette

from hub.app import create_app
from hub.clients import Clients
from hub.ratelimit import RateDecision, SpentBuckets, rate_limit_key, take
from hub.settings import Settings
from tests.graphql import ENGLISH

QUERY = {"query": "{ __typename }"}
BUDGET = 3
NOT_CHECKED = "rate limit not checked"


def _address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def _client(app: Starlette, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://pantau.test", headers=dict(ENGLISH))


@pytest.fixture(scope="module")
async def limited(settings: Settings, seeded: Clients) -> AsyncIterator[Starlette]:
    tight = settings.model_copy(update={"cost_budget_per_window": BUDGET, "cost_window_seconds": 3600})
    app = create_app(tight, shared_clients=seeded)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def unreachable() -> AsyncIterator[Redis]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redis = Redis.from_url(f"redis://127.0.0.1:{port}/0")
    yield redis
    await redis.aclose()


async def test_a_request_asks_redis_once(
    limited: Starlette, seeded: Clients, unreachable: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    limited.state.clients = dataclasses.replace(seeded, redis=unreachable)
    try:
        async with _client(limited, _address()) as http:
            with caplog.at_level(logging.WARNING):
                response = await http.post("/graphql", json=QUERY)
    finally:
        limited.state.clients = seeded
    assert response.json()["data"] == {"__typename": "Query"}  # let through: the limit fails open
    attempts = [record for record in caplog.records if NOT_CHECKED in record.getMessage()]
    assert len(attempts) == 1, [record.name for record in attempts]


async def test_a_spent_bucket_is_refused_without_spending_or_asking_again(
    limited: Starlette, seeded: Clients, unreachable: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    address = _address()
    async with _client(limited, address) as http:
        for _ in range(BUDGET):
            assert (await http.post("/graphql", json=QUERY)).json()["data"] == {"__typename": "Query"}
        refused = [await http.post("/graphql", json=QUERY) for _ in range(3)]
        limited.state.clients = dataclasses.replace(seeded, redis=unreachable)
        try:
            with caplog.at_level(logging.WARNING):
                while_down = await http.post("/graphql", json=QUERY)
        finally:
            limited.state.clients = seeded
    for response in [*refused, while_down]:
        assert response.status_code == 429
        assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert int(response.headers["Retry-After"]) > 0
    assert not [record for record in caplog.records if NOT_CHECKED in record.getMessage()]
    policy = limited.state.rate_policy
    keys = [key async for key in seeded.redis.scan_iter(f"{policy.namespace}:ratelimit:address:{address}:*")]
    assert [int(await seeded.redis.get(key)) for key in keys] == [BUDGET], "refusals spent nothing"


async def test_spent_buckets_hold_for_their_window_and_their_limit_only(seeded: Clients) -> None:
    namespace, spent = f"test-{uuid.uuid4().hex[:10]}", SpentBuckets(kept=2)
    start = 60 * 20_000_000 + 20.0  # 20 s into a 60 s window
    for offset in (0, 1):
        moment = start + offset
        decision = await take(seeded.redis, namespace, "user:a", limit=2, window_seconds=60, now=moment)
        spent.note(namespace, "user:a", decision)
        known = spent.refusal(namespace, "user:a", limit=2, window_seconds=60, now=moment)
        assert (known is not None) == (offset == 1), "spent once the count reaches the limit"
    assert known == RateDecision(False, 2, 2, 39, 20_000_000)
    assert spent.refusal(namespace, "user:a", limit=5, window_seconds=60, now=start) is None
    assert spent.refusal(namespace, "user:b", limit=2, window_seconds=60, now=start) is None
    assert int(await seeded.redis.get(rate_limit_key(namespace, "user:a", 20_000_000))) == 2
    for bucket in ("user:c", "user:d"):  # kept: 2, so user:a is forgotten first
        spent.note(namespace, bucket, RateDecision(False, 2, 2, 39, 20_000_000))
    assert spent.refusal(namespace, "user:a", limit=2, window_seconds=60, now=start + 1) is None
    assert spent.refusal(namespace, "user:d", limit=2, window_seconds=60, now=start + 1) is not None
    next_window = start + 40
    assert spent.refusal(namespace, "user:d", limit=2, window_seconds=60, now=next_window) is None
