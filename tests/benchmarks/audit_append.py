"""Benchmark: audit appends per second with 1, 4 and 16 concurrent writers, each its own process (as API and
worker processes are), all on one chain, against the configured MongoDB.

Every append reads the head and inserts at head + 1; the unique `seq` refuses all but one of the writers
that read the same head, and the others read again after a jittered backoff (hub/audit/service.py). The
benchmark counts insert attempts (from the commands each process sends) to show how much work the losers
redo, and measures a full verification pass of the chain it built.

Run with the local services up:  uv run python -m tests.benchmarks.audit_append [--total 960]
  [--writers 1 4 16] [--prefill 0] [--mongo-url mongodb://127.0.0.1:27028] [--tasks]
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

from pymongo import monitoring

from hub.audit.models import AuditEntry
from hub.audit.service import record, verify
from hub.clients import open_clients
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


def _writer(
    settings: Settings,
    writer: int,
    count: int,
    start: threading.Barrier,
    results: multiprocessing.Queue[WriterResult | str],
) -> None:
    counter = InsertCounter()
    monitoring.register(counter)

    async def run() -> WriterResult:
        clients = await open_clients(settings)
        try:
            await AuditEntry.get_pymongo_collection().find_one({})  # connected before the clock starts
            start.wait(timeout=600)  # every writer starts at once, after all have imported and connected
            latencies = await _append(writer, count)
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


def measure(settings: Settings, writers: int, per_writer: int) -> str:
    """The writers as processes (API and worker processes), started together once all have connected."""
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[WriterResult | str] = context.Queue()
    start = context.Barrier(writers + 1)
    processes = [
        context.Process(target=_writer, args=(settings, n, per_writer, start, results))
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    start.wait(timeout=600)
    start_at = time.time()
    received = [results.get(timeout=1800) for _ in processes]
    for process in processes:
        process.join()
    done = [result for result in received if isinstance(result, WriterResult)]
    if len(done) < len(received):
        raise RuntimeError("; ".join(result for result in received if isinstance(result, str)))
    return _summary(f"{writers:>2} processes", done, start_at)


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


def main(writer_counts: list[int], total: int, prefill: int, mongo_url: str | None, tasks: bool) -> None:
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
                print(measure(settings, writers, total // writers), flush=True)
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
    arguments = parser.parse_args()
    main(arguments.writers, arguments.total, arguments.prefill, arguments.mongo_url, arguments.tasks)
