"""`make load` (`python -m infra.load`): a constant-rate mixed load against the hub as in production.

Starts a MongoDB stand-in, seeds the national demo data set (or some provinces of it) into it, starts the
API processes, a worker per queue group and the scheduler (infra.load.stack), logs the simulated users in,
then for each rate of `--steps` (default: `--rate`) lets vegeta send the mixed targets of
infra.load.targets for `--duration` seconds, never waiting for answers, while infra.load.sampler reads the
CPU and memory of every process. Prints the figures and writes `.local/load/result.json` (infra.load.summary).
Every process it started is stopped at the end, whatever happened. Exit code 0 when the last step held.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from hub.demo.plan import quarters
from infra.drill.nodes import DrillFailed, Node, stop_all
from infra.load import dataset, stack, vegeta
from infra.load.commands import count_commands
from infra.load.queries import queries
from infra.load.sampler import Sampler
from infra.load.summary import LIMITS, Tally, held, latency_held
from infra.load.targets import TargetBuilder, User
from infra.local.process import _stat_fields
from infra.local.versions import HOST

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / ".local" / "load"
SHARED = ("elasticsearch", "seaweedfs", "redis")
HUB = ("api-", "worker-", "scheduler")


def options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=int, default=200, help="requests per second (default 200)")
    parser.add_argument("--duration", type=int, default=600, help="seconds per step (default 600)")
    parser.add_argument("--steps", default="", help="comma-separated rates, one run each (a step search)")
    parser.add_argument("--warmup", type=int, default=60, help="seconds left out of the memory slope")
    parser.add_argument(
        "--memory-window",
        type=int,
        default=0,
        help="seconds at the end of a step over which memory is fitted (default: all after warm-up); "
        "spans under 4 minutes are not judged",
    )
    parser.add_argument("--apis", type=int, default=2, help="API processes (default 2)")
    parser.add_argument("--users", type=int, default=0, help="simulated users (default: rate, 40..400)")
    parser.add_argument(
        "--province", action="append", default=[], help="only this province's subtree (repeatable)"
    )
    parser.add_argument("--mongo-heap", default="4g", help="heap of the MongoDB stand-in (default 4g)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment of the hub's processes (PANTAU_* settings, MALLOC_ARENA_MAX; repeatable)",
    )
    parser.add_argument(
        "--memory-probe",
        action="store_true",
        help="with --commands: tracemalloc snapshots and object counts, what grows with the requests",
    )
    parser.add_argument(
        "--commands",
        type=int,
        default=0,
        help="instead of the steps: send this many targets one at a time and count MongoDB commands per "
        "operation (infra.load.commands)",
    )
    return parser.parse_args(argv)


def _pgid_of(pid_file: Path) -> int | None:
    try:
        fields = _stat_fields(int(pid_file.read_text().strip()))
    except (OSError, ValueError):
        return None
    return int(fields[2]) if fields else None


def _group(pid: Callable[[], int | None]) -> Callable[[], int | None]:
    return pid


def sampler(nodes: list[Node], attack: subprocess.Popen[bytes]) -> Sampler:
    """Every process: the load's own (each its process group), vegeta, this driver and the shared services
    (their groups, from the pid files of the services' folder)."""
    groups: dict[str, Callable[[], int | None]] = {
        node.name: _group(lambda node=node: node.pid)  # type: ignore[misc]
        for node in nodes
    }
    groups["vegeta"] = lambda: attack.pid if attack.poll() is None else None
    groups["driver (this python)"] = lambda: os.getpgid(0)
    run = stack.env_file().parent / "run"
    for name in SHARED:
        groups[f"shared {name}"] = partial(_pgid_of, run / f"{name}.pid")
    return Sampler(groups)


def feed(attack: subprocess.Popen[bytes], builder: TargetBuilder) -> None:
    """Targets into vegeta's stdin until it stops reading (it ends after its duration)."""
    assert attack.stdin is not None
    with contextlib.suppress(BrokenPipeError, OSError, ValueError):
        for line in builder.lines():
            if attack.poll() is not None:
                break
            attack.stdin.write(line)
            attack.stdin.flush()


def step(
    binary: Path, builder: TargetBuilder, nodes: list[Node], rate: int, args: argparse.Namespace
) -> dict[str, Any]:
    results = OUT / f"results-{rate}.bin"
    load_before = os.getloadavg()
    print(f"step: {rate} req/s for {args.duration} s")
    attack = vegeta.attack(binary, rate, args.duration, results)
    watch = sampler(nodes, attack)
    started = time.monotonic()
    watch.start()
    feeder = threading.Thread(target=feed, args=(attack, builder), daemon=True)
    feeder.start()
    try:
        attack.wait(args.duration + 120)
    finally:
        if attack.poll() is None:
            attack.kill()
            attack.wait()
        watch.stop()
    elapsed = time.monotonic() - started
    tally = Tally()
    decoder = vegeta.encode(binary, results)
    assert decoder.stdout is not None
    for line in decoder.stdout:
        tally.add_line(line)
    decoder.wait()
    results.unlink(missing_ok=True)  # bodies included: hundreds of MB at full rate
    figures = tally.summary(float(args.duration))
    processes = watch.figures(args.warmup, figures["requests"], args.memory_window or None)
    hub = {name: value for name, value in processes.items() if name.startswith(HUB)}
    result = {
        "rate": rate,
        "load_average_before": load_before,
        "duration_s": args.duration,
        "elapsed_s": round(elapsed, 1),
        **figures,
        "rss_growth_pct": max((p["growth_pct"] for p in hub.values()), default=0.0),
        "rss_growth_pct_per_10_min": max((p["growth_pct_per_10_min"] for p in hub.values()), default=0.0),
        "memory_judged": bool(hub) and all(p["judged"] for p in hub.values()),
        "processes": processes,
    }
    result["held"] = held(result, rate)
    result["latency_held"] = latency_held(result, rate)
    return result


def report(result: dict[str, Any]) -> None:
    print(
        f"  {result['rate']} req/s: {result['requests']} requests, "
        f"{result['throughput_rps']} req/s answered, "
        f"p50 {result['p50_ms']} p95 {result['p95_ms']} p99 {result['p99_ms']} ms, errors {result['errors']} "
        f"(HTTP {result['http_errors']}, GraphQL {result['graphql_errors']}), "
        f"RSS growth {result['rss_growth_pct']} % ({result['rss_growth_pct_per_10_min']} % per 10 min"
        f"{'' if result['memory_judged'] else ', span too short to judge'}): "
        f"{'held' if result['held'] else 'NOT held'}"
    )
    for name, figures in result["operations"].items():
        print(
            f"    {name:16} n={figures['requests']:6} p50 {figures['p50_ms']:7} p95 {figures['p95_ms']:7} "
            f"p99 {figures['p99_ms']:7} errors {figures['errors']} {figures['error_kinds'] or ''}"
        )
    for name, figures in result["processes"].items():
        print(
            f"    {name:24} CPU {figures['cpu_pct_of_core']:6} % of a core "
            f"({figures['cpu_ms_per_request']} ms/request), RSS {figures['rss_mib']} MiB, "
            f"{figures['slope_mib_per_min']} MiB/min ({figures['growth_pct']} % over {figures['span_s']} s)"
        )


def commands(env: dict[str, str], builder: TargetBuilder, count: int, memory: bool) -> int:
    counted = count_commands(env, builder, count, memory)
    (OUT / "commands.json").write_text(json.dumps(counted, indent=2) + "\n")
    probe = counted.pop("memory", None)
    if probe is not None:
        print(
            f"  memory (tracemalloc, in-process): traced MiB at requests {probe['marks']}: "
            f"{probe['traced_mib']}"
        )
        print(f"  objects grown between requests {probe['between_requests']}: {probe['objects_grown']}")
        for grown in probe["grown_kib"][:8]:
            print(
                f"    +{grown['kib']} KiB ({grown['count']} blocks) {' <- '.join(reversed(grown['where']))}"
            )
    for name, figures in counted.items():
        failed = f" failed {figures['failed']}" if "failed" in figures else ""
        print(
            f"    {name:16} n={figures['requests']:5} {figures['commands_per_request']:6} MongoDB commands "
            f"per request {figures['by_command']}{failed}"
        )
    return 0


def main(argv: list[str]) -> int:
    args = options(argv)
    rates = [int(rate) for rate in args.steps.split(",") if rate] or [args.rate]
    OUT.mkdir(parents=True, exist_ok=True)
    logs = OUT / "logs"
    logs.mkdir(exist_ok=True)
    binary = vegeta.binary()
    provinces = sorted(args.province)
    names = stack.Names.of("national" if not provinces else "p" + "-".join(provinces))
    mongo = stack.mongo_node(logs, args.mongo_heap)
    env = stack.app_env(names, stack.mongo_url(), OUT / "secrets")
    env |= dict(assignment.partition("=")[::2] for assignment in args.set)
    nodes = stack.app_nodes(env, logs, args.apis)
    everything = [mongo, *nodes]
    try:
        mongo.start()
        mongo.wait_ready()
        print(
            f"seeding the national data set{' (provinces ' + ', '.join(provinces) + ')' if provinces else ''}"
        )
        seeded = dataset.seed(env, names, provinces)
        stored = dataset.storage(names)  # before the load adds to it
        print(
            f"  seeded in {seeded.seconds:.0f} s "
            f"(reindexed: {', '.join(seeded.reindexed) or 'none, index reused'}): {seeded.counts}"
        )
        for node in nodes:
            node.start()
        for node in nodes:
            node.wait_ready()
        bases = [f"http://{HOST}:{port}" for port in stack.api_ports(args.apis)]
        wanted = args.users or max(40, min(400, max(rates)))
        users: list[User] = asyncio.run(
            dataset.users(bases[0], dataset.usernames(env, names, wanted, args.seed))
        )
        periods = [period.key for period in quarters(date.fromisoformat(dataset.UNTIL), 10)]
        builder = TargetBuilder(
            users, queries(range(2017, 2027)), bases, periods, datetime.now(UTC), args.seed
        )
        print(f"{len(users)} users logged in; {args.apis} API processes, a worker per queue, the scheduler")
        if args.commands:
            return commands(env, builder, args.commands, args.memory_probe)
        steps = []
        for rate in rates:
            steps.append(step(binary, builder, everything, rate, args))
            report(steps[-1])
        holding = [s["rate"] for s in steps if s["held"]]
        result = {
            **steps[-1],
            "highest_rate_held": max(holding, default=None),
            "highest_rate_latency_held": max((s["rate"] for s in steps if s["latency_held"]), default=None),
            "limits": LIMITS,
            "data_set": {
                "bson_bytes": seeded.bson_bytes,
                **stored,
                "provinces": provinces or "all",
                "records": seeded.counts,
                "seed_seconds": round(seeded.seconds),
            },
            "users": len(users),
            "api_processes": args.apis,
            "load_average": os.getloadavg(),
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "steps": steps,
        }
        (OUT / "result.json").write_text(json.dumps(result, indent=2) + "\n")
        print(f"written {OUT / 'result.json'}; highest rate held: {result['highest_rate_held']}")
        return 0 if steps[-1]["held"] else 1
    finally:
        stop_all(everything)


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM too stops every process the load started (the `finally` of main)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        sys.exit(main(sys.argv[1:]))
    except DrillFailed as failure:
        print(f"load failed: {failure}", file=sys.stderr)
        sys.exit(1)
