"""Benchmark: audit appends per second with 1, 4 and 16 concurrent writers, each its own process (as API and
worker processes are), all on one chain, against the configured MongoDB.

Direct appends (`record`, the default): every append reads the head and inserts at head + 1; the unique
`seq` refuses all but one of the writers that read the same head, and the others read again after a
jittered backoff (hub/audit/service.py). The benchmark counts insert attempts (from the commands each
process sends) to show how much work the losers redo.

Audited changes (`--pending`): what a domain service does now. Each writer changes its own case, the audit
entry in the same update (hub.audit.pending), then links it if it gets the linkers' lease and leaves it
otherwise; a linker process runs `link_pending` every `--link-interval` seconds, as the scheduler does. The
line gives the writers' rate (changes/s, what requests wait for), how many entries the writers linked
themselves, and the rate at which entries reached the chain (until the last one was linked).

Both modes end with a full verification pass of the chain built.

Run with the local services up:  uv run python -m tests.benchmarks.audit_append [--total 960]
  [--writers 1 4 16] [--prefill 0] [--mongo-url mongodb://127.0.0.1:27028] [--tasks] [--pending]
Each run makes the same number of appends (`--total`, shared among its writers).
It creates its own database, prints one line per writer count, and drops the database again.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from pymongo import monitoring

from hub.audit.linker import link_pending
from hub.audit.models import AuditEntry
from hub.audit.pending import pending_entry
from hub.audit.service import record, verify
from hub.cases.models import Case, CaseCategory
from hub.cases.rules import apply_update
from hub.clients import open_clients
from hub.core.clock import utcnow
from hub.reports.models import RiskLevel
from hub.settings import Settings, load_settings


class InsertCounter(monitoring.CommandListener):
    """Insert commands on the audit collection, and how many of them a duplicate seq refused."""

    def __init__(self) -> None:
        self.inserts = 0
        self.refused = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "insert" and event.command.get("insert") == "audit_entries":
            self.inserts += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        if event.command_name == "insert" and event.reply.get("writeErrors"):
            self.refused += 1

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None


@dataclass(frozen=True)
class WriterResult:
    appends: int
    inserts: int
    refused: int
    latencies: list[float]
    finished_at: float


async def _append(writer: int, count: int) -> list[float]:
    latencies = []
    for step in range(count):
        began = time.perf_counter()
        await record(f"user:bench-{writer}", "bench.append", f"Bench:{writer}", {"step": step})
        latencies.append(time.perf_counter() - began)
    return latencies


async def _change(writer: int, count: int) -> list[float]:
    """`count` audited changes of this writer's own case, as the case services make them (the action names
    the run: its number of writers)."""
    case = Case(
        region_code="31.74",
        region_path=["ID", "31", "31.74"],
        title=f"Bench {writer}",
        description="",
        category=CaseCategory.OTHER,
        severity=RiskLevel.LOW,
        due_at=utcnow() + timedelta(days=30),
        opened_by=f"user:bench-{writer}",
    )
    await case.insert()
    latencies = []
    for step in range(count):
        began = time.perf_counter()
        action = f"bench.change.{os.environ['BENCH_RUN']}"
        audit = pending_entry(f"user:bench-{writer}", action, f"Case:{case.id}", {"step": step})
        case = await apply_update(case, {"title": f"Bench {writer} {step}"}, audit=audit)
        latencies.append(time.perf_counter() - began)
    return latencies


def _writer(
    settings: Settings,
    writer: int,
    count: int,
    start: threading.Barrier,
    results: multiprocessing.Queue[WriterResult | str],
    pending: bool = False,
) -> None:
    counter = InsertCounter()
    monitoring.register(counter)

    async def run() -> WriterResult:
        clients = await open_clients(settings)
        try:
            await AuditEntry.get_pymongo_collection().find_one({})  # connected before the clock starts
            start.wait(timeout=600)  # every writer starts at once, after all have imported and connected
            latencies = await (_change if pending else _append)(writer, count)
            return WriterResult(count, counter.inserts, counter.refused, latencies, time.time())
        finally:
            await clients.close()

    try:
        results.put(asyncio.run(run()))
    except BaseException as error:  # the parent waits for one result per writer: never leave it hanging
        results.put(f"writer {writer} failed: {error!r}")
        raise


def _summary(label: str, done: list[WriterResult], start_at: float) -> str:
    elapsed = max(result.finished_at for result in done) - start_at
    appends = sum(result.appends for result in done)
    inserts = sum(result.inserts for result in done)
    refused = sum(result.refused for result in done)
    latencies = sorted(latency for result in done for latency in result.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    return (
        f"{label}: {appends / elapsed:7.1f} appends/s ({appends} in {elapsed:.1f} s); "
        f"{inserts / appends:.2f} inserts per append ({refused} refused); "
        f"latency median {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
    )


def _linker(
    settings: Settings, interval: float, stop: threading.Event, linked: multiprocessing.Queue[float]
) -> None:
    """The scheduler's linker: `link_pending` every `interval` seconds; reports when each pass that linked
    something ended (the writers are done once `stop` is set, and a last pass follows)."""

    async def run() -> None:
        clients = await open_clients(settings)
        try:
            while True:
                finished = stop.is_set()
                outcome = await link_pending()
                if outcome.linked:
                    linked.put(time.time())
                if finished:
                    return
                await asyncio.sleep(interval)
        finally:
            await clients.close()

    asyncio.run(run())


def measure(settings: Settings, writers: int, per_writer: int, pending: bool, interval: float) -> str:
    """The writers as processes (API and worker processes), started together once all have connected;
    with `pending`, a linker process beside them."""
    os.environ["BENCH_RUN"] = str(writers)  # inherited by the writers
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[WriterResult | str] = context.Queue()
    passes: multiprocessing.Queue[float] = context.Queue()
    start, stop = context.Barrier(writers + 1), context.Event()
    processes = [
        context.Process(target=_writer, args=(settings, n, per_writer, start, results, pending))
        for n in range(writers)
    ]
    linker = context.Process(target=_linker, args=(settings, interval, stop, passes)) if pending else None
    for process in processes:
        process.start()
    if linker:
        linker.start()
    start.wait(timeout=600)
    start_at = time.time()
    received = [results.get(timeout=1800) for _ in processes]
    stop.set()
    for process in processes:
        process.join()
    if linker:
        linker.join()
    done = [result for result in received if isinstance(result, WriterResult)]
    if len(done) < len(received):
        raise RuntimeError("; ".join(result for result in received if isinstance(result, str)))
    line = _summary(f"{writers:>2} processes", done, start_at)
    if not pending:
        return line
    last_linked = max([max(result.finished_at for result in done), *_drain(passes)])
    total = sum(result.appends for result in done)
    asyncio.run(_check_every_change_linked(settings, f"bench.change.{writers}", total))
    by_writers = sum(result.inserts - result.refused for result in done)
    return (
        line.replace("appends/s", "changes/s")
        + f"; writers linked {by_writers} of {total} themselves; all in the chain after "
        f"{last_linked - start_at:.1f} s ({total / (last_linked - start_at):.1f} entries/s)"
    )


def _drain(queue: multiprocessing.Queue[float]) -> list[float]:
    found = []
    while not queue.empty():
        found.append(queue.get())
    return found


async def _check_every_change_linked(settings: Settings, action: str, total: int) -> None:
    clients = await open_clients(settings)
    try:
        linked = await AuditEntry.find({"action": action}).count()
        assert linked == total, f"{total - linked} audited changes have no entry in the chain"
    finally:
        await clients.close()


async def measure_tasks(settings: Settings, writers: int, per_writer: int) -> str:
    """The writers as concurrent tasks of one process (concurrent requests in one API process)."""
    counter = InsertCounter()
    monitoring.register(counter)  # applies to the clients opened next
    clients = await open_clients(settings)
    try:
        await AuditEntry.get_pymongo_collection().find_one({})
        start_at = time.time()
        runs = await asyncio.gather(*(_append(writer, per_writer) for writer in range(writers)))
        finished = time.time()
    finally:
        await clients.close()
    done = [WriterResult(per_writer, 0, 0, latencies, finished) for latencies in runs]
    done.append(WriterResult(0, counter.inserts, counter.refused, [], finished))
    return _summary(f"{writers:>2} tasks in one process", done, start_at)


async def _prefill(settings: Settings, count: int) -> None:
    """`count` entries first, to see whether an append's cost grows with the length of the chain."""
    clients = await open_clients(settings)
    try:
        for step in range(count):
            await record("system:bench", "bench.prefill", "Bench:prefill", {"step": step})
    finally:
        await clients.close()


async def _verify_rate(settings: Settings) -> str:
    clients = await open_clients(settings)
    try:
        began = time.perf_counter()
        result = await verify()
        elapsed = time.perf_counter() - began
        total = await AuditEntry.get_pymongo_collection().count_documents({})
        assert result.ok, result.describe()
        return (
            f"verify: {result.count} of {total} entries in {elapsed:.1f} s ({result.count / elapsed:.0f}/s)"
        )
    finally:
        await clients.close()


async def _drop(settings: Settings) -> None:
    clients = await open_clients(settings, init_models=False)
    try:
        await clients.mongo.drop_database(settings.mongo_database)
    finally:
        await clients.close()


def main(
    writer_counts: list[int],
    total: int,
    prefill: int,
    mongo_url: str | None,
    tasks: bool,
    pending: bool,
    interval: float,
) -> None:
    base = load_settings()
    database = f"pantau_bench_{uuid.uuid4().hex[:10]}"
    settings = base.model_copy(update={"mongo_database": database, "mongo_url": mongo_url or base.mongo_url})
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; MongoDB at {settings.mongo_url}")
    try:
        if prefill:
            asyncio.run(_prefill(settings, prefill))
            print(f"prefilled {prefill} entries")
        for writers in writer_counts:
            if tasks:
                print(asyncio.run(measure_tasks(settings, writers, total // writers)), flush=True)
            else:
                print(measure(settings, writers, total // writers, pending, interval), flush=True)
        print(asyncio.run(_verify_rate(settings)))
    finally:
        asyncio.run(_drop(settings))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--total", type=int, default=960, help="appends in each run, shared by its writers")
    parser.add_argument("--prefill", type=int, default=0, help="entries in the chain before measuring")
    parser.add_argument("--mongo-url", help="another MongoDB than PANTAU_MONGO_URL (e.g. the tests' one)")
    parser.add_argument("--tasks", action="store_true", help="writers as tasks of one process, not processes")
    parser.add_argument("--pending", action="store_true", help="audited changes and a linker")
    parser.add_argument("--link-interval", type=float, default=1.0, help="seconds between linker passes")
    arguments = parser.parse_args()
    main(
        arguments.writers,
        arguments.total,
        arguments.prefill,
        arguments.mongo_url,
        arguments.tasks,
        arguments.pending,
        arguments.link_interval,
    )
