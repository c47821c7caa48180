"""Hostile requests are refused with a clear error and the server keeps answering; production hides the
schema and internal errors; each principal (or address) has a request budget kept in Redis.

A multipart request without the CSRF header is covered in test_upload_errors
(test_multipart_without_preflight_header_is_refused), as is an oversized upload.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette

from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.app import create_app
from hub.clients import Clients, make_es
from hub.http.limits import MAX_QUERY_STRING_BYTES
from hub.ratelimit import take
from hub.settings import Environment, Settings
from schema.schema import MAX_ALIASES, MAX_DEPTH
from tests.conftest import TEST_PASSWORD, Account
from tests.graphql import ENGLISH, post

NORMAL_QUERY = '{ region(code: "31") { code name } }'
ANONYMOUS_QUERY = "{ __typename }"


def _deep(levels: int) -> str:
    return '{ region(code: "31.74") { ' + "parent { " * levels + "code" + " }" * levels + " } }"


def _aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"


def _aliases_in_fragments(fragments: int, per_fragment: int) -> str:
    spreads = " ".join(f"...F{i}" for i in range(fragments))
    definitions = " ".join(
        f"fragment F{i} on Query {{ " + " ".join(f"f{i}a{j}: __typename" for j in range(per_fragment)) + " }"
        for i in range(fragments)
    )
    return f"query Hidden {{ {spreads} }} {definitions}"


def _fragment_bomb(levels: int, leaf: str) -> str:
    """Each fragment spreads the next twice: 2**levels copies of the leaf once expanded."""
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"query {{ ...F0 }} {chain} fragment F{levels} on Query {{ {leaf} }}"


CIRCULAR = "query { ...A } fragment A on Query { ...B __typename } fragment B on Query { ...A }"


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        (_deep(50), "QUERY_TOO_DEEP", f"is 51 levels deep; at most {MAX_DEPTH} are allowed"),
        (
            _aliases(1000),
            "TOO_MANY_ALIASES",
            f"uses 1000 aliases, counting those in fragments; at most {MAX_ALIASES}",
        ),
        (
            _aliases_in_fragments(10, 10),
            "TOO_MANY_ALIASES",
            "'Hidden' uses 100 aliases, counting those in fragments",
        ),
        (_fragment_bomb(60, "x: __typename"), "TOO_MANY_ALIASES", "uses over a million aliases"),
        (CIRCULAR, None, "Cannot spread fragment 'A' within itself via 'B'."),
        (
            "{ " + "__typename " * 6000 + "}",
            None,
            "Document contains more than 5000 tokens. Parsing aborted.",
        ),
        ("{ " + "region { " * 300 + "code" + " }" * 300 + " }", None, "Document is nested too deeply"),
    ],
    ids=[
        "depth-50",
        "1000-aliases",
        "aliases-in-fragments",
        "fragment-bomb",
        "circular",
        "tokens",
        "nesting",
    ],
)
async def test_hostile_query_is_refused_and_the_server_keeps_answering(
    http: httpx.AsyncClient, query: str, code: str | None, message: str
) -> None:
    response = await http.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert message in error["message"]
    if code is not None:
        assert error["extensions"]["code"] == code
    assert (await post(http, NORMAL_QUERY))["data"]["region"]["code"] == "31"


async def test_a_fragment_chain_without_aliases_runs_in_linear_time(http: httpx.AsyncClient) -> None:
    """Fragments are measured once each, not once per path: 2**60 paths, which a walk per path would never
    finish (the wait is only a guard against hanging the suite, not a speed measure)."""
    body = await asyncio.wait_for(post(http, _fragment_bomb(60, "__typename")), timeout=120)
    assert body == {"data": {"__typename": "Query"}}


async def test_limits_count_depth_through_fragments(http: httpx.AsyncClient) -> None:
    levels = "parent { " * 8
    closing = " }" * 8
    query = (
        '{ region(code: "31.74") { ...Up } } '
        f"fragment Up on Region {{ {levels} ...More {closing} }} "
        f"fragment More on Region {{ {levels} code {closing} }}"
    )
    [error] = (await post(http, query))["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert "17 levels deep" in error["message"]


async def test_a_query_within_the_limits_runs(http: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(f'r{i}: region(code: "31") {{ code }}' for i in range(MAX_ALIASES)) + " }"
    body = await post(http, query)
    assert "errors" not in body
    assert len(body["data"]) == MAX_ALIASES
    assert "errors" not in await post(http, _deep(MAX_DEPTH - 1))


async def test_a_5_mb_query_is_refused_before_parsing(http: httpx.AsyncClient, settings: Settings) -> None:
    query = "{ " + "__typename " * (5 * 1024 * 1024 // 11) + "}"
    response = await http.post("/graphql", json={"query": query})
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BODY_TOO_LARGE"
    assert f"limit of {settings.max_json_body_bytes} bytes" in error["message"]
    assert (await post(http, NORMAL_QUERY))["data"]["region"]["code"] == "31"


async def test_a_streamed_body_without_length_is_cut_off_at_the_cap(http: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ '
        for _ in range(40):
            yield b"__typename " * 10_000  # 110 kB each, 4.4 MB in all
        yield b'}"}'

    response = await http.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BODY_TOO_LARGE"


async def test_a_long_query_string_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"query": "{ " + "x" * (MAX_QUERY_STRING_BYTES + 1) + " }"})
    assert response.status_code == 414
    assert response.json()["errors"][0]["extensions"]["code"] == "URI_TOO_LONG"
    assert (await http.get("/graphql", params={"query": NORMAL_QUERY})).json()["data"]["region"][
        "code"
    ] == "31"


async def test_batches_are_capped(http: httpx.AsyncClient, settings: Settings) -> None:
    small = await http.post("/graphql", json=[{"query": NORMAL_QUERY}, {"query": "{ __typename }"}])
    assert small.status_code == 200
    first, second = small.json()
    assert (first["data"]["region"]["code"], second["data"]) == ("31", {"__typename": "Query"})
    response = await http.post("/graphql", json=[{"query": "{ __typename }"}] * 100)
    assert response.status_code == 400
    assert response.text == "Too many operations"
    assert settings.max_batch_operations < 100
    assert (await post(http, NORMAL_QUERY))["data"]["region"]["code"] == "31"


# ---- production --------------------------------------------------------------------------------------


@asynccontextmanager
async def _running(settings: Settings, clients: Clients) -> AsyncIterator[Starlette]:
    app = create_app(settings, shared_clients=clients)
    async with app.router.lifespan_context(app):
        yield app


def _client(app: Starlette, token: str | None = None, address: str = "127.0.0.1") -> httpx.AsyncClient:
    headers = {**ENGLISH, "Authorization": f"Bearer {token}"} if token else dict(ENGLISH)
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://pantau.test", headers=headers)


@pytest.fixture(scope="module")
async def production(settings: Settings, seeded: Clients) -> AsyncIterator[Starlette]:
    async with _running(settings.model_copy(update={"environment": Environment.PRODUCTION}), seeded) as app:
        yield app


@pytest.fixture
async def production_http(
    production: Starlette, accounts: dict[str, Account]
) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(production, accounts["admin"].token) as client:
        yield client


@pytest.mark.parametrize("query", ["{ __schema { types { name } } }", '{ __type(name: "Region") { name } }'])
async def test_production_refuses_introspection(production_http: httpx.AsyncClient, query: str) -> None:
    errors = (await post(production_http, query))["errors"]
    assert "introspection has been disabled" in errors[0]["message"]
    assert (await post(production_http, NORMAL_QUERY))["data"]["region"]["code"] == "31"


MISSPELLED_FIELD = '{ regin(code: "31") { name } }'
MISSPELLED_ENUM = (
    "query ($level: RegionLevel) { regions(level: $level) { totalCount } }",
    {"level": "PROVINSI"},
)


async def test_production_gives_no_field_suggestions(production_http: httpx.AsyncClient) -> None:
    [error] = (await post(production_http, MISSPELLED_FIELD))["errors"]
    assert error["message"] == "Cannot query field 'regin' on type 'Query'."
    [error] = (await post(production_http, *MISSPELLED_ENUM))["errors"]
    assert "PROVINSI" in error["message"]
    assert "Did you mean" not in error["message"]


async def test_development_suggests_fields(http: httpx.AsyncClient) -> None:
    [error] = (await post(http, MISSPELLED_FIELD))["errors"]
    assert "Did you mean 'region'" in error["message"]
    [error] = (await post(http, *MISSPELLED_ENUM))["errors"]
    assert "Did you mean the enum value 'PROVINCE'?" in error["message"]


async def test_production_serves_no_graphiql(production_http: httpx.AsyncClient) -> None:
    assert (await production_http.get("/graphql", headers={"Accept": "text/html"})).status_code == 404


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("environment", [Environment.PRODUCTION, Environment.TEST])
async def test_an_internal_error_is_masked_with_a_logged_reference(
    settings: Settings,
    seeded: Clients,
    accounts: dict[str, Account],
    caplog: pytest.LogCaptureFixture,
    environment: Environment,
) -> None:
    port = _closed_port()
    unreachable = make_es(settings.model_copy(update={"es_url": f"http://127.0.0.1:{port}"}))
    async with _running(settings.model_copy(update={"environment": environment}), seeded) as app:
        # Elasticsearch goes away after start-up: a real client, against a port nobody listens on.
        app.state.clients = dataclasses.replace(seeded, es=unreachable)
        try:
            async with _client(app, accounts["admin"].token) as http:
                with caplog.at_level(logging.ERROR, logger="schema.security"):
                    response = await http.post(
                        "/graphql", json={"query": '{ search(query: "x") { totalCount } }'}
                    )
        finally:
            await unreachable.close()
    assert response.status_code == 200
    [error] = response.json()["errors"]
    reference = error["extensions"]["reference"]
    assert error["message"] == f"Internal server error (reference {reference})"
    assert error["extensions"] == {"code": "INTERNAL_ERROR", "reference": reference}
    for leak in ("Traceback", "Connection", str(port), "elasticsearch", 'File "'):
        assert leak not in response.text
    [record] = [record for record in caplog.records if getattr(record, "correlation_id", None) == reference]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert reference in record.getMessage()


# ---- rate limits -------------------------------------------------------------------------------------


def _address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


@pytest.fixture(scope="module")
async def limited(settings: Settings, seeded: Clients) -> AsyncIterator[Starlette]:
    # A long window, so that no window ends in the middle of a test.
    # A budget of 3 points: `{ __typename }` costs 1 (the least an operation costs).
    tight = settings.model_copy(update={"cost_budget_per_window": 3, "cost_window_seconds": 3600})
    async with _running(tight, seeded) as app:
        yield app


async def test_rate_limit_refuses_the_fourth_request_and_says_when_to_retry(
    limited: Starlette, seeded: Clients
) -> None:
    address = _address()
    async with _client(limited, address=address) as http:
        for _ in range(3):
            assert (await post(http, ANONYMOUS_QUERY))["data"] == {"__typename": "Query"}
        response = await http.post("/graphql", json={"query": ANONYMOUS_QUERY})
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 3600
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "cost": 1, "limit": 3, "retryAfter": retry_after}
    assert error["message"].endswith(f"retry in {retry_after} seconds")
    assert response.json()["data"] is None

    # Another address has its own budget; so has a signed-in user, even from the same address.
    async with _client(limited, address=_address()) as other:
        assert (await post(other, ANONYMOUS_QUERY))["data"] == {"__typename": "Query"}
    username = f"rate-{uuid.uuid4().hex[:8]}"
    await create_user(username=username, password=TEST_PASSWORD, role=Role.OPERATOR, region_code="31.74")
    token = (await login(seeded.settings, username, TEST_PASSWORD)).access_token
    async with _client(limited, token=token, address=address) as signed_in:
        assert (await post(signed_in, NORMAL_QUERY))["data"]["region"]["code"] == "31"


async def test_each_operation_of_a_batch_counts(limited: Starlette) -> None:
    async with _client(limited, address=_address()) as http:
        response = await http.post("/graphql", json=[{"query": "{ __typename }"}] * 4)
    assert response.status_code == 429, response.text
    codes = [(item.get("errors") or [{}])[0].get("extensions", {}).get("code") for item in response.json()]
    assert sorted(codes, key=str) == [None, None, None, "RATE_LIMITED"]


async def test_rate_limit_fails_open_when_redis_is_down(
    limited: Starlette, seeded: Clients, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = Redis.from_url(f"redis://127.0.0.1:{_closed_port()}/0")
    limited.state.clients = dataclasses.replace(seeded, redis=unreachable)
    try:
        async with _client(limited, address=_address()) as http:
            with caplog.at_level(logging.WARNING, logger="schema.security"):
                for _ in range(5):
                    assert (await post(http, ANONYMOUS_QUERY))["data"] == {"__typename": "Query"}
    finally:
        limited.state.clients = seeded
        await unreachable.aclose()
    assert any("rate limit not checked" in record.getMessage() for record in caplog.records)


async def test_fixed_windows_in_redis(seeded: Clients) -> None:
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    start = 60 * 20_000_000 + 20.0  # 20 s into a 60 s window

    async def hit(at: float, bucket: str = "user:a") -> Any:
        return await take(seeded.redis, namespace, bucket, limit=2, window_seconds=60, now=at)

    first, second, third = [await hit(start + offset) for offset in (0, 1, 2.5)]
    assert [decision.allowed for decision in (first, second, third)] == [True, True, False]
    assert (third.count, third.retry_after_seconds) == (3, 38)
    assert (await hit(start, bucket="user:b")).allowed
    assert (await hit(start + 40)).allowed, "a new window starts with a fresh budget"
    keys = [key async for key in seeded.redis.scan_iter(f"{namespace}:ratelimit:*")]
    assert len(keys) == 3
    assert 0 < await seeded.redis.ttl(keys[0]) <= 61
