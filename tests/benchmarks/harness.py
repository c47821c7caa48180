"""What every benchmark shares, so that none of them can flatter the hub:

- each measures the hub and a hand-written baseline in the same run, on the same data, in ABBA order (A B,
  B A, B A, A B, ...: neither side always runs first, or always right after the other), after warm-ups that
  are not counted, and reports p50 and p95 of both, their ratio and the absolute difference;
- the hub runs with production settings and the rate limiter on (a budget large enough never to refuse), as a
  server process of its own reached over HTTP where the figure is about HTTP;
- everything is made in a throwaway database, index prefix, bucket and queue of the shared services, and
  removed again; no service is started or stopped;
- each writes its figures into `.local/bench/results.json` (merged: one benchmark at a time may run).
"""

from __future__ import annotations

import json
import math
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from hub.settings import Environment, Settings, load_settings
from tests.processes import settings_env, stop

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / ".local" / "bench" / "results.json"
WARM_UPS = 10
# Far above what a benchmark spends in a window, so that the limiter is charged on every request (a Redis
# round trip, as in production) but never refuses.
BUDGET = 1_000_000_000


def run_id() -> str:
    return uuid.uuid4().hex[:8]


def _env_file_value(key: str) -> str | None:
    path = Path(os.environ.get("PANTAU_ENV_FILE", ROOT / ".local" / "services.env"))
    if not path.is_file():
        return None
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name.strip() == key:
            return value.strip()
    return None


def bench_settings(run: str, **update: Any) -> Settings:
    """Production settings over the shared services, with this run's own database, index prefix, bucket and
    queue, and the rate limiter on. MongoDB: PANTAU_BENCH_MONGO_URL, else the tests' server (the one the
    shared services keep running), else PANTAU_MONGO_URL."""
    base = load_settings()
    mongo_url = (
        os.environ.get("PANTAU_BENCH_MONGO_URL")
        or os.environ.get("PANTAU_TEST_MONGO_URL")
        or _env_file_value("PANTAU_TEST_MONGO_URL")
        or base.mongo_url
    )
    return base.model_copy(
        update={
            "environment": Environment.PRODUCTION,
            "mongo_url": mongo_url,
            "mongo_database": f"pantau_bench_{run}",
            "es_index_prefix": f"bench-{run}",
            "minio_bucket": f"pantau-bench-{run}",
            "celery_queue": f"pantau-bench-{run}",
            "cost_budget_per_window": BUDGET,
            "jwt_secret": SecretStr(f"bench-jwt-{run}-{uuid.uuid4().hex}"),
            "audit_key": SecretStr(f"bench-audit-{run}-{uuid.uuid4().hex}"),
            **update,
        }
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# ---- figures -----------------------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    """Nearest rank: the smallest sample with at least 95% of the samples at or below it."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Comparison:
    """Hub and baseline samples (seconds, or any unit where more is slower) of one measured operation."""

    name: str
    hub: list[float]
    raw: list[float]
    warm_ups: int = WARM_UPS

    @property
    def ratio(self) -> float:
        """Hub over baseline at the median."""
        return statistics.median(self.hub) / statistics.median(self.raw)

    @property
    def p95_ratio(self) -> float:
        return p95(self.hub) / p95(self.raw)

    @property
    def gap(self) -> float:
        return statistics.median(self.hub) - statistics.median(self.raw)

    def lines(self, unit: str = "ms", scale: float = 1000.0, hub: str = "hub", raw: str = "baseline") -> str:
        def figures(samples: list[float]) -> str:
            median, high = statistics.median(samples) * scale, p95(samples) * scale
            return f"p50 {median:9.2f} {unit}  p95 {high:9.2f} {unit}"

        return "\n".join(
            [
                f"{self.name}: {len(self.hub)} samples each, ABBA order, after {self.warm_ups} warm-ups",
                f"  {hub:<28} {figures(self.hub)}",
                f"  {raw:<28} {figures(self.raw)}",
                f"  ratio (p50) {self.ratio:6.2f}x   ratio (p95) {self.p95_ratio:6.2f}x   "
                f"difference (p50) {self.gap * scale:+.2f} {unit}",
            ]
        )


def abba_order(rounds: int) -> Iterator[bool]:
    """True where A (the hub) goes first: A B, B A, B A, A B, repeated."""
    for number in range(rounds):
        yield number % 4 in (0, 3)


async def abba(
    name: str,
    hub: Callable[[], Awaitable[float]],
    raw: Callable[[], Awaitable[float]],
    rounds: int,
    warm_ups: int = WARM_UPS,
) -> Comparison:
    """`rounds` timed runs of each side (each call returns its own duration), in ABBA order, after
    `warm_ups` runs of each that are not counted."""
    for hub_first in abba_order(warm_ups):
        for side in (hub, raw) if hub_first else (raw, hub):
            await side()
    hub_times: list[float] = []
    raw_times: list[float] = []
    for hub_first in abba_order(rounds):
        if hub_first:
            hub_times.append(await hub())
            raw_times.append(await raw())
        else:
            raw_times.append(await raw())
            hub_times.append(await hub())
    return Comparison(name, hub_times, raw_times, warm_ups)


def record(**figures: float | int | str) -> None:
    """Merges figures into the results file."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    found: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    found.update(figures)
    RESULTS.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n")


# ---- a server process --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server_process(
    settings: Settings, log_path: Path, *, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The hub with the benchmarks' own routes (tests.benchmarks.server), as its own process on a free port:
    its base URL and the process, stopped again afterwards."""
    port = free_port()
    env = {**settings_env(settings), **(extra_env or {})}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.server", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {process.returncode}:\n{log_path.read_text()[-3000:]}"
                )
            try:
                if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer in 90 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base_url, process
    finally:
        stop(process)


async def timed_post(client: httpx.AsyncClient, url: str, **kwargs: Any) -> tuple[float, bytes]:
    """The time to send a request and receive its whole body (not decoded: decoding is the client's work)."""
    started = time.perf_counter()
    response = await client.post(url, **kwargs)
    body = response.content
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {body[:500]!r}")
    return elapsed, body


async def timed_get(client: httpx.AsyncClient, url: str, **kwargs: Any) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = await client.get(url, **kwargs)
    body = response.content
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {body[:500]!r}")
    return elapsed, body
