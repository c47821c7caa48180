"""Login abuse: one password check per request, hashing off the event loop with bounded concurrency,
growing delays per address and per account that no one can turn into a lockout of someone else, the client
address behind trusted proxies, and failed logins audited.

Denial-of-service cases assert on work done (`pantau_password_checks_total`, hashes in progress), never on
time. The throttle's schedule is driven with an explicit clock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import socket
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.requests import Request

from hub.access import credentials
from hub.access.principal import ANONYMOUS
from hub.access.roles import Role
from hub.access.throttle import LoginThrottled, ThrottlePolicy, reserve, succeeded
from hub.access.users import create_user
from hub.app import create_app
from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.http.admission import rate_bucket
from hub.http.client_address import client_address
from hub.settings import Settings
from tests.conftest import TEST_PASSWORD
from tests.graphql import ENGLISH

LOGIN_FIELDS = "accessToken errors { code message retryAfterSeconds }"


def _checks() -> float:
    return REGISTRY.get_sample_value("pantau_password_checks_total") or 0.0


def _refusals(reason: str) -> float:
    return REGISTRY.get_sample_value("pantau_login_refusals_total", {"reason": reason}) or 0.0


def _address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


async def _user() -> str:
    username = f"login-{uuid.uuid4().hex[:10]}"
    await create_user(username=username, password=TEST_PASSWORD, role=Role.OPERATOR, region_code="31.74")
    return username


@asynccontextmanager
async def _app(seeded: Clients, **overrides: Any) -> AsyncIterator[Starlette]:
    """An app whose clients carry the overridden settings (the view reads them from there)."""
    settings = seeded.settings.model_copy(update=overrides)
    app = create_app(settings, shared_clients=dataclasses.replace(seeded, settings=settings))
    async with app.router.lifespan_context(app):
        yield app


def _client(app: Starlette, address: str, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(
        transport=transport, base_url="http://pantau.test", headers={**ENGLISH, **(headers or {})}
    )


def _flood(username: str, passwords: list[str]) -> str:
    fields = " ".join(
        f"a{number}: sessionCreate(input: {{username: {json.dumps(username)}, "
        f"password: {json.dumps(word)}}}) {{ {LOGIN_FIELDS} }}"
        for number, word in enumerate(passwords)
    )
    return f"mutation {{ {fields} }}"


def _payloads(body: Any) -> list[dict[str, Any]]:
    results = body if isinstance(body, list) else [body]
    for result in results:
        assert "errors" not in result, result["errors"]
    return [payload for result in results for payload in result["data"].values()]


def _codes(payloads: list[dict[str, Any]]) -> Counter[str]:
    return Counter(
        "LOGGED_IN" if payload["accessToken"] else payload["errors"][0]["code"] for payload in payloads
    )


async def _login(http: httpx.AsyncClient, username: str, password: str) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": _flood(username, [password])})
    [payload] = _payloads(response.json())
    return payload


async def _failed_login_entries(username: str) -> list[AuditEntry]:
    return await AuditEntry.find({"action": "session.create_failed", "change.username": username}).to_list()


# ---- one password check per request --------------------------------------------------------------------


async def test_a_batched_and_aliased_flood_checks_one_password(app: Starlette, seeded: Clients) -> None:
    victim = await _user()
    operations = [{"query": _flood(victim, [f"tebakan-{op}-{n}" for n in range(30)])} for op in range(10)]
    before = _checks()
    async with _client(app, _address()) as http:
        response = await http.post("/graphql", json=operations)
    assert response.status_code == 200, response.text
    results = response.json()
    # The per-request cost cap (schema.cost) refuses the operations past it before they run; of the
    # logins that do run, one checks a password and the others are refused without one.
    ran = [result for result in results if result["data"] is not None]
    refused = [result["errors"][0]["extensions"]["code"] for result in results if result["data"] is None]
    assert set(refused) <= {"QUERY_TOO_COSTLY"}
    assert len(ran) >= 2
    codes = _codes(_payloads(ran))
    assert _checks() - before == 1
    assert codes == {"INVALID_CREDENTIALS": 1, "ONE_LOGIN_PER_REQUEST": 30 * len(ran) - 1}


async def test_the_one_check_of_a_request_can_succeed(app: Starlette, seeded: Clients) -> None:
    owner = await _user()
    before = _checks()
    async with _client(app, _address()) as http:
        response = await http.post(
            "/graphql", json={"query": _flood(owner, [TEST_PASSWORD, "salah-lagi-123"])}
        )
    first, second = _payloads(response.json())
    assert first["accessToken"] and first["errors"] == []
    assert second["errors"] == [
        {
            "code": "ONE_LOGIN_PER_REQUEST",
            "message": "one login per request: send this one in another request",
            "retryAfterSeconds": None,
        }
    ]
    assert _checks() - before == 1


# ---- hashing off the event loop -------------------------------------------------------------------------


async def test_hashing_runs_off_the_event_loop_a_few_at_a_time(settings: Settings) -> None:
    # At the production cost (the suite hashes cheaply): hashes long enough to overlap, as in production.
    stored = credentials.PRODUCTION_COST.hasher().hash("kata-sandi-benar-1")
    credentials.configure_password_hashing(2)
    most, loop_turns, done = 0, 0, asyncio.Event()

    async def watch() -> None:
        nonlocal most, loop_turns
        while not done.is_set():
            most = max(most, credentials.hashing_in_progress())
            loop_turns += 1
            await asyncio.sleep(0)

    watcher = asyncio.create_task(watch())
    before = _checks()
    try:
        results = await asyncio.gather(
            *(credentials.password_matches(stored, f"salah-{n}") for n in range(5))
        )
    finally:
        done.set()
        await watcher
        credentials.configure_password_hashing(settings.password_check_concurrency)
    assert results == [False] * 5
    assert _checks() - before == 5
    assert most == 2  # two at a time, never more
    # The loop kept running other tasks while the five hashes were computed (one loop turn per hash at
    # the very least: the hashes did not block it).
    assert loop_turns > 5


# ---- throttle schedule (explicit clock) -----------------------------------------------------------------

POLICY = ThrottlePolicy(
    namespace="",
    memory_seconds=3600,
    address_free=3,
    address_max_delay=60,
    account_free=2,
    account_max_delay=8,
)


def _policy() -> ThrottlePolicy:
    return dataclasses.replace(POLICY, namespace=f"test-{uuid.uuid4().hex[:10]}")


async def _refused_for(redis: Any, policy: ThrottlePolicy, user: str, address: str, now: float) -> int | None:
    try:
        await reserve(redis, policy, user, address, now=now)
    except LoginThrottled as throttled:
        return throttled.retry_after_seconds
    return None


async def test_address_delays_double_up_to_the_maximum_and_early_retries_do_not_count(
    seeded: Clients,
) -> None:
    redis, policy, address, now = seeded.redis, _policy(), _address(), 1_000_000.0
    # Spraying: a new account each time, so only the address counter grows.
    for _ in range(3):  # free failures
        assert await _refused_for(redis, policy, f"u{uuid.uuid4().hex}", address, now) is None
    waits = []
    for _ in range(8):
        wait = await _refused_for(redis, policy, f"u{uuid.uuid4().hex}", address, now)
        assert wait is not None
        waits.append(wait)
        # Asking again and again while waiting changes nothing.
        assert await _refused_for(redis, policy, f"u{uuid.uuid4().hex}", address, now) == wait
        now += wait
        assert await _refused_for(redis, policy, f"u{uuid.uuid4().hex}", address, now) is None
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]


async def test_parallel_attempts_cannot_slip_past_the_count(seeded: Clients) -> None:
    redis, policy, address, now = seeded.redis, _policy(), _address(), 2_000_000.0
    results = await asyncio.gather(
        *(_refused_for(redis, policy, f"u{n}", address, now) for n in range(20)), return_exceptions=True
    )
    assert results.count(None) == POLICY.address_free


async def test_no_one_can_keep_an_owner_out(seeded: Clients) -> None:
    redis, policy, now = seeded.redis, _policy(), 3_000_000.0
    # A botnet fails on the account from many addresses (two each, so each address meets the account delay).
    botnet = [_address() for _ in range(10)]
    for address in botnet:
        for _ in range(2):
            await _refused_for(redis, policy, "pemilik", address, now)
    assert await _refused_for(redis, policy, "pemilik", botnet[0], now) is not None
    # The owner's first try from a new address is not held back by what others did...
    office = _address()
    reservation = await reserve(redis, policy, "pemilik", office, now=now)
    await succeeded(redis, reservation)
    # ...and the office is now a known address: even while the attack goes on, and even after the owner
    # mistypes once, only the owner's own failures from there count.
    for address in botnet:
        await _refused_for(redis, policy, "pemilik", address, now)
    assert await _refused_for(redis, policy, "pemilik", office, now) is None
    assert await _refused_for(redis, policy, "pemilik", office, now) is None
    # The account delay a new address can meet is the mild one (here 8 s, by default 60 s).
    second_try = _address()
    await _refused_for(redis, policy, "pemilik", second_try, now)
    wait = await _refused_for(redis, policy, "pemilik", second_try, now)
    assert wait is not None
    assert wait <= POLICY.account_max_delay


async def test_a_success_does_not_clear_the_address(seeded: Clients) -> None:
    redis, policy, address, now = seeded.redis, _policy(), _address(), 4_000_000.0
    for _ in range(POLICY.address_free):
        await _refused_for(redis, policy, f"u{uuid.uuid4().hex}", address, now)
    # Once the delay has passed, the attacker logs into an account of its own from the same address: that
    # gives back its own attempt only, and the address stays throttled (for accounts that do not know it).
    own = await reserve(redis, policy, "milik-penyerang", address, now=now + 1)
    await succeeded(redis, own)
    assert await _refused_for(redis, policy, "korban", address, now + 1) == 1


# ---- through the API -----------------------------------------------------------------------------------


async def _fail_from(redis: Any, settings: Settings, address: str, times: int) -> None:
    """Past failures of `address`, an hour apart, the last one now."""
    policy = ThrottlePolicy.from_settings(settings)
    for number in range(times):
        at = time.time() - (times - 1 - number) * 3600
        await reserve(redis, policy, f"lain-{uuid.uuid4().hex}", address, now=at)


async def test_a_throttled_address_is_refused_before_any_hashing_and_not_audited_each_time(
    app: Starlette, seeded: Clients, settings: Settings
) -> None:
    victim, address = await _user(), _address()
    await _fail_from(seeded.redis, settings, address, settings.login_address_free_failures + 12)
    checks, refusals = _checks(), _refusals("login_throttled")
    async with _client(app, address) as http:
        for _ in range(3):
            payload = await _login(http, victim, "tebakan-ke-sekian")
            [error] = payload["errors"]
            assert error["code"] == "LOGIN_THROTTLED"
            assert 0 < error["retryAfterSeconds"] <= settings.login_address_max_delay_seconds
            assert (
                error["message"]
                == f"too many failed logins; try again in {error['retryAfterSeconds']} seconds"
            )
    assert _checks() == checks
    assert _refusals("login_throttled") - refusals == 3
    assert await _failed_login_entries(victim) == []
    # The victim, from elsewhere, is not affected.
    async with _client(app, _address()) as http:
        assert (await _login(http, victim, TEST_PASSWORD))["accessToken"]


async def test_without_redis_logins_wait_rather_than_go_unthrottled(seeded: Clients) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = Redis.from_url(f"redis://127.0.0.1:{port}/0")
    owner = await _user()
    checks, refusals = _checks(), _refusals("throttle_unavailable")
    try:
        app = create_app(seeded.settings, shared_clients=dataclasses.replace(seeded, redis=unreachable))
        async with app.router.lifespan_context(app), _client(app, _address()) as http:
            payload = await _login(http, owner, TEST_PASSWORD)
    finally:
        await unreachable.aclose()
    assert payload["accessToken"] is None
    assert payload["errors"] == [
        {
            "code": "LOGIN_THROTTLED",
            "message": "logins are paused for a moment; try again in 5 seconds",
            "retryAfterSeconds": 5,
        }
    ]
    assert (_checks() - checks, _refusals("throttle_unavailable") - refusals) == (0, 1)


async def test_failed_logins_are_audited_without_the_password(app: Starlette, seeded: Clients) -> None:
    owner, address, password = await _user(), _address(), "rahasia-yang-salah-77"
    before = await AuditEntry.find({"action": "session.create_failed"}).count()
    async with _client(app, address) as http:
        assert (await _login(http, owner, password))["errors"][0]["code"] == "INVALID_CREDENTIALS"
        assert (await _login(http, "tidak-pernah-ada", password))["errors"][0][
            "code"
        ] == "INVALID_CREDENTIALS"
    assert await AuditEntry.find({"action": "session.create_failed"}).count() - before == 2
    [entry] = await _failed_login_entries(owner)
    assert (entry.actor, entry.target) == (f"address:{address}", f"Username:{owner}")
    assert entry.change == {
        "username": owner,
        "address": address,
        "reason": "wrong_password",
        "address_failures": 1,
        "account_failures": 1,
    }
    [unknown] = await _failed_login_entries("tidak-pernah-ada")
    assert unknown.change["reason"] == "unknown_user"
    stored = json.dumps([entry.model_dump(mode="json"), unknown.model_dump(mode="json")])
    assert password not in stored


# ---- the client address ----------------------------------------------------------------------------------


def _request(peer: str | None, forwarded: list[str]) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    scope = {"type": "http", "headers": headers, "client": (peer, 1234) if peer else None}
    return Request(scope)


PROXIES = "10.0.0.0/8, 2001:db8:1::/48"


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", [], "", "203.0.113.9"),
        # Without trusted proxies the header is anyone's to write: ignored.
        ("203.0.113.9", ["198.51.100.1"], "", "203.0.113.9"),
        # A peer that is not a trusted proxy: ignored too.
        ("203.0.113.9", ["198.51.100.1"], PROXIES, "203.0.113.9"),
        # Right to left, the first untrusted hop; what the client wrote on the left is not believed.
        ("10.0.0.2", ["1.2.3.4, 198.51.100.1, 10.0.0.7"], PROXIES, "198.51.100.1"),
        ("10.0.0.2", ["1.2.3.4, 198.51.100.1", "10.0.0.7"], PROXIES, "198.51.100.1"),
        ("10.0.0.2", ["10.1.1.1, 10.0.0.7"], PROXIES, "10.1.1.1"),  # every hop trusted: the leftmost
        ("10.0.0.2", ["198.51.100.1, garbage"], PROXIES, "10.0.0.2"),  # garbage: stop at the last trusted
        ("10.0.0.2", [""], PROXIES, "10.0.0.2"),
        ("10.0.0.2", ["[2001:db8:9::1]:443, 198.51.100.1:5555"], PROXIES, "198.51.100.1"),
        ("2001:db8:1::5", ["2001:DB8:9:0::1"], PROXIES, "2001:db8:9::1"),
        ("::ffff:10.0.0.2", ["::ffff:198.51.100.1"], PROXIES, "198.51.100.1"),
        (None, ["198.51.100.1"], PROXIES, "unknown"),
    ],
)
def test_client_address(peer: str | None, forwarded: list[str], trusted: str, expected: str) -> None:
    settings_networks = Settings.model_construct(trusted_proxies=trusted).trusted_proxy_networks
    assert client_address(_request(peer, forwarded), settings_networks) == expected


async def test_the_rate_limit_counts_by_the_forwarded_address(seeded: Clients) -> None:
    proxy = _address()
    async with _app(seeded, cost_budget_per_window=1, cost_window_seconds=3600, trusted_proxies=proxy) as app:
        first, second = _address(), _address()

        async def typename(forwarded: str) -> int:
            async with _client(app, proxy, {"X-Forwarded-For": forwarded}) as http:
                response = await http.post("/graphql", json={"query": "{ __typename }"})
            return response.status_code

        assert [await typename(first), await typename(second), await typename(first)] == [200, 200, 429]
        # The check made before a body is read (hub.http.admission) counts by the same address.
        through_proxy = _request(proxy, [first])
        through_proxy.scope["app"] = app
        assert rate_bucket(ANONYMOUS, through_proxy) == f"address:{first}"

    # Not a trusted proxy: its header is ignored, both "clients" are the peer.
    async with _app(seeded, cost_budget_per_window=1, cost_window_seconds=3600) as app:
        peer = _address()
        statuses = []
        for forwarded in (_address(), _address()):
            async with _client(app, peer, {"X-Forwarded-For": forwarded}) as http:
                statuses.append((await http.post("/graphql", json={"query": "{ __typename }"})).status_code)
        assert statuses == [200, 429]


async def test_an_ipv6_client_is_counted_by_its_64(seeded: Clients) -> None:
    """An IPv6 client picks addresses from its /64 at will: a new address of the same /64 gets no new
    budget, one of another /64 does (hub.access.addresses)."""
    prefix, other = (
        f"2001:db8:{random.randrange(1, 1 << 16):x}:{random.randrange(1, 1 << 16):x}" for _ in "ab"
    )
    async with _app(seeded, cost_budget_per_window=1, cost_window_seconds=3600) as app:

        async def typename(address: str) -> int:
            async with _client(app, address) as http:
                response = await http.post("/graphql", json={"query": "{ __typename }"})
            return response.status_code

        statuses = [
            await typename(address) for address in (f"{prefix}::1", f"{prefix}::beef", f"{prefix}:f:0:0:1")
        ]
        assert statuses == [200, 429, 429]
        assert await typename(f"{other}::1") == 200
        # The check made before a body is read (hub.http.admission) counts by the same /64.
        request = _request(f"{prefix}::7", [])
        request.scope["app"] = app
        assert rate_bucket(ANONYMOUS, request) == f"address:{prefix}::/64"


async def test_the_audit_names_the_forwarded_address(seeded: Clients) -> None:
    owner, proxy, client = await _user(), _address(), _address()
    async with (
        _app(seeded, trusted_proxies=f"{proxy}/32") as app,
        _client(app, proxy, {"X-Forwarded-For": f"{client}, {proxy}"}) as http,
    ):
        assert (await _login(http, owner, "bukan-sandinya-1"))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    [entry] = await _failed_login_entries(owner)
    assert entry.change["address"] == client
