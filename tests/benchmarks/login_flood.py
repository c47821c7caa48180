"""Benchmark: a password-guessing flood against `sessionCreate`, and what it does to everyone else.

Run with the local services up:  uv run python -m tests.benchmarks.login_flood [--seconds 20] [--attackers 4]
It starts `python -m hub.cli serve` on a free port with its own database, bucket, index prefix and queue
(nothing shared is touched), creates a victim and a bystander account, and then:

1. measures the latency of `/healthz` and of the bystander's `{ viewer }` while nothing else happens;
2. sends ONE request of 10 batched operations x 30 aliased `sessionCreate` with wrong passwords for the
   victim, and counts in its answer the password checks it made (INVALID_CREDENTIALS errors) and the logins
   refused without one, while measuring both latencies again;
3. keeps `--attackers` such requests in flight for `--seconds`, from one address, then (when the server trusts
   loopback as a proxy, see PANTAU_TRUSTED_PROXIES) from a new X-Forwarded-For address per request: a
   distributed attack that no per-address throttle slows down, so what is left is the cost of the checks;
4. as a control, keeps requests of the same shape in flight without any password check (10 x 30 aliased
   `sessionRefresh` with malformed tokens, refused without a database read): what parsing, validating and
   answering a request of that size costs, logins or not.

Latencies are p50/p95 of sequential probes (each probe waits for the previous one). Removes what it made.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.clients import open_clients
from hub.regions.seed import seed_regions
from hub.settings import Settings, load_settings
from tests.benchmarks.upload_1gib import cleanup, free_port, start_server
from tests.processes import stop

PASSWORD = "bench-password-2026"
BATCH, ALIASES = 10, 30
VIEWER = "{ viewer { name } }"


def flood_operation(username: str) -> dict[str, Any]:
    fields = " ".join(
        f'a{number}: sessionCreate(input: {{username: "{username}", password: "salah-{number:04d}-x"}}) '
        "{ accessToken errors { code } }"
        for number in range(ALIASES)
    )
    return {"query": f"mutation {{ {fields} }}"}


def error_codes(body: Any) -> Counter[str]:
    """Codes of every sessionCreate payload error, and of top-level errors, in a (batched) answer."""
    counted: Counter[str] = Counter()
    for result in body if isinstance(body, list) else [body]:
        for error in result.get("errors") or []:
            counted[str((error.get("extensions") or {}).get("code", "ERROR"))] += 1
        for payload in (result.get("data") or {}).values():
            if not isinstance(payload, dict):
                continue
            if payload.get("accessToken"):
                counted["LOGGED_IN"] += 1
            for error in payload["errors"]:
                counted[error["code"]] += 1
    return counted


@dataclass
class Probes:
    healthz: list[float] = field(default_factory=list)
    viewer: list[float] = field(default_factory=list)

    @staticmethod
    def describe(samples: list[float]) -> str:
        if len(samples) < 2:
            return f"{len(samples)} sample(s): {samples[0] * 1000 if samples else float('nan'):.1f} ms"
        cuts = statistics.quantiles(samples, n=20)
        p50, p95 = statistics.median(samples) * 1000, cuts[18] * 1000
        return f"p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  n={len(samples)}"

    def report(self, title: str) -> None:
        print(f"  {title}")
        print(f"    /healthz            {self.describe(self.healthz)}")
        print(f"    bystander viewer    {self.describe(self.viewer)}")


async def probe(client: httpx.AsyncClient, token: str, stop: asyncio.Event, probes: Probes) -> None:
    async def healthz() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            (await client.get("/healthz")).raise_for_status()
            probes.healthz.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)

    async def viewer() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        while not stop.is_set():
            started = time.perf_counter()
            response = await client.post("/graphql", json={"query": VIEWER}, headers=headers)
            if response.json()["data"]["viewer"] is None:
                raise RuntimeError(f"the bystander was refused: {response.text}")
            probes.viewer.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)

    await asyncio.gather(healthz(), viewer())


def control_operation() -> dict[str, Any]:
    fields = " ".join(
        f'a{number}: sessionRefresh(input: {{refreshToken: "malformed-{number:04d}-x"}}) '
        "{ accessToken errors { code } }"
        for number in range(ALIASES)
    )
    return {"query": f"mutation {{ {fields} }}"}


async def flood_once(
    client: httpx.AsyncClient, victim: str, forwarded_for: str | None, control: bool = False
) -> Counter[str]:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    operations = [control_operation() if control else flood_operation(victim) for _ in range(BATCH)]
    response = await client.post("/graphql", json=operations, headers=headers)
    return error_codes(response.json())


async def measured(client: httpx.AsyncClient, token: str, work: Any) -> tuple[Any, Probes]:
    probes, stop = Probes(), asyncio.Event()
    prober = asyncio.create_task(probe(client, token, stop, probes))
    try:
        result = await work
    finally:
        stop.set()
        await prober
    return result, probes


async def sustained(
    client: httpx.AsyncClient, victim: str, attackers: int, seconds: float, spoof: bool, control: bool = False
) -> tuple[Counter[str], int]:
    totals: Counter[str] = Counter()
    requests = 0
    deadline = time.monotonic() + seconds

    async def attacker() -> None:
        nonlocal requests
        while time.monotonic() < deadline:
            address = f"198.51.{random.randrange(256)}.{random.randrange(1, 255)}" if spoof else None
            try:
                codes = await asyncio.wait_for(
                    flood_once(client, victim, address, control), deadline - time.monotonic()
                )
            except TimeoutError:
                return
            totals.update(codes)
            requests += 1

    await asyncio.gather(*(attacker() for _ in range(attackers)))
    return totals, requests


def summary(codes: Counter[str], requests: int) -> str:
    checks = codes["INVALID_CREDENTIALS"] + codes["LOGGED_IN"]
    per_request = f"{checks / requests:.1f}" if requests else "n/a (no request finished)"
    return f"{requests} request(s) finished; password checks per request: {per_request}; codes {dict(codes)}"


async def run(
    settings: Settings, base_url: str, victim: str, token: str, seconds: float, attackers: int
) -> None:
    limits = httpx.Limits(max_connections=attackers + 8)
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(600.0), limits=limits) as client:
        await client.get("/healthz")
        _, quiet = await measured(client, token, asyncio.sleep(min(seconds, 5)))
        quiet.report("no attack")
        started = time.perf_counter()
        codes, during_one = await measured(client, token, flood_once(client, victim, None))
        took = time.perf_counter() - started
        print(f"  one flood request ({BATCH} operations x {ALIASES} aliases), answered in {took:.1f} s:")
        print(f"    {summary(codes, 1)}")
        during_one.report("during that one request")
        (codes, requests), during = await measured(
            client, token, sustained(client, victim, attackers, seconds, spoof=False)
        )
        print(f"  {attackers} attackers for {seconds:.0f} s from one address: {summary(codes, requests)}")
        during.report("during the sustained attack from one address")
        if settings.model_dump().get("trusted_proxies"):
            (codes, requests), during = await measured(
                client, token, sustained(client, victim, attackers, seconds, spoof=True)
            )
            print(f"  {attackers} attackers for {seconds:.0f} s, a new address per request:")
            print(f"    {summary(codes, requests)}")
            during.report("during the distributed attack")
            (codes, requests), during = await measured(
                client, token, sustained(client, victim, attackers, seconds, spoof=True, control=True)
            )
            print(
                f"  control: {attackers} clients for {seconds:.0f} s, same shape, no login: {requests} done"
            )
            during.report("during the control load")
        try:
            metrics = (await client.get("/metrics", timeout=5)).text
        except httpx.TimeoutException:
            metrics = ""  # the server is still busy with the flood
        for line in metrics.splitlines():
            if line.startswith(("pantau_password_checks_total", "pantau_login_refusals_total")):
                print(f"  server: {line}")


async def main(seconds: float, attackers: int) -> None:
    run_id = uuid.uuid4().hex[:8]
    update: dict[str, Any] = {
        "mongo_database": f"pantau_bench_{run_id}",
        "minio_bucket": f"pantau-bench-{run_id}",
        "es_index_prefix": f"bench-{run_id}",
        "celery_queue": f"pantau-bench-{run_id}",
        "jwt_secret": SecretStr(f"bench-{run_id}-{uuid.uuid4().hex}"),
    }
    if "trusted_proxies" in Settings.model_fields:  # the server believes the benchmark's X-Forwarded-For
        update["trusted_proxies"] = "127.0.0.1/32"
    settings = load_settings().model_copy(update=update)
    clients = await open_clients(settings)
    server: subprocess.Popen[bytes] | None = None
    with tempfile.TemporaryDirectory(prefix="pantau-login-bench-") as scratch:
        log = Path(scratch) / "server.log"
        try:
            await clients.store.ensure_bucket()
            await seed_regions()
            for name in ("bench-victim", "bench-bystander"):
                await create_user(username=name, password=PASSWORD, role=Role.OPERATOR, region_code="31.74")
            token = (await login(settings, "bench-bystander", PASSWORD)).access_token
            port = free_port()
            server = await asyncio.to_thread(start_server, settings, port, log)
            print(f"login flood against a hub server process (pid {server.pid})")
            await run(settings, f"http://127.0.0.1:{port}", "bench-victim", token, seconds, attackers)
        except BaseException:
            if log.is_file():
                print(f"server log (end):\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
            raise
        finally:
            if server is not None:
                await asyncio.to_thread(stop, server)
            await cleanup(clients, settings)
            await clients.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each sustained attack")
    parser.add_argument("--attackers", type=int, default=4, help="flood requests kept in flight")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.seconds, max(1, arguments.attackers)))
