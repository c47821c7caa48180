"""P3: indexing throughput. The indexer's bulk path (search.indexer.bulk_index: sources built and stemmed from
report records, external versions, the outcome of every item read) against raw bulk of the very same actions
prepared beforehand, each run into a fresh index, in ABBA order three times over, with Elasticsearch's merges
settled (refresh, force merge, flush) after every run so that no run pays for the one before. Then the whole
pipeline (search.indexer.index_marked: records read from MongoDB in batches, indexed, their markers cleared)
against raw bulk of the same records.

Run with the shared services:  uv run python -m tests.benchmarks.indexing [--count 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from beanie import PydanticObjectId
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk

from hub.clients import open_clients
from hub.reports.models import Period, Report, ReportStatus, ReportType
from search.indexer import action, bulk_index, index_marked
from search.indices import drop_indices, ensure_indices
from search.kinds import REPORT_KIND
from tests.benchmarks.corpus import region_paths, text_of
from tests.benchmarks.harness import abba_order, bench_settings, load_average, record, run_id

CHUNK = 2000  # what bulk_index sends per request
CYCLES = 3  # ABBA cycles
FULL_PIPELINE_RECORDS = 5000


def synthetic_reports(count: int) -> list[Report]:
    """Report records as the indexer gets them from MongoDB."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    regions = region_paths()
    reports = []
    for number in range(count):
        path = rng.choice(regions)
        reports.append(
            Report(
                id=PydanticObjectId(),
                region_code=path[-1],
                region_path=path,
                type=ReportType.QUARTERLY,
                template_version=1,
                period=Period(year=2026, quarter=rng.randint(1, 4)),
                period_key=f"bench-{number}",
                title=text_of(rng, 5),
                narratives={"political_situation": text_of(rng, 120), "analysis": text_of(rng, 80)},
                values={"conflict_potential": "rendah"},
                status=ReportStatus.SUBMITTED,
                author="user:bench",
                needs_index=True,
                due_at=now,
            )
        )
    return reports


async def _settle(es: AsyncElasticsearch, prefix: str) -> None:
    await es.indices.refresh(index=f"{prefix}-*")
    await es.indices.forcemerge(index=f"{prefix}-*", max_num_segments=1)
    await es.indices.flush(index=f"{prefix}-*")


async def _raw(es: AsyncElasticsearch, actions: list[dict[str, Any]]) -> None:
    await async_bulk(es, actions, chunk_size=CHUNK, max_chunk_bytes=20 * 1024 * 1024, raise_on_error=True)


async def _timed_into_fresh(es: AsyncElasticsearch, prefix: str, work: Any, before: Any = None) -> float:
    """The seconds `work(target alias)` takes, into fresh indices that are settled and dropped after;
    `before()` runs first, untimed."""
    await drop_indices(es, prefix)
    await ensure_indices(es, prefix)
    await _settle(es, prefix)
    if before is not None:
        await before()
    started = time.perf_counter()
    await work(REPORT_KIND.alias(prefix))
    seconds = time.perf_counter() - started
    await _settle(es, prefix)
    await drop_indices(es, prefix)
    return seconds


async def main(count: int) -> None:
    run = run_id()
    settings = bench_settings(run)
    clients = await open_clients(settings)
    es, prefix = clients.es, f"bench-{run}-index"
    try:
        print(f"P3: {count:,} reports (load average {load_average()})")
        reports = synthetic_reports(count)
        # Raw bulk sends actions built beforehand; the pipeline builds them from the records as it goes.
        target = REPORT_KIND.alias(prefix)
        prepared = [action(REPORT_KIND, target, report) for report in reports]

        async def raw(_: str) -> None:
            await _raw(es, prepared)

        async def pipeline(alias: str) -> None:
            outcome = await bulk_index(es, REPORT_KIND, reports, target=alias, clear_markers=False)
            assert outcome.written == len(reports), outcome

        hub_times: list[float] = []
        raw_times: list[float] = []
        await _timed_into_fresh(es, prefix, raw)  # warm-up of each
        await _timed_into_fresh(es, prefix, pipeline)
        for hub_first in abba_order(2 * CYCLES):
            for side in ("hub", "raw") if hub_first else ("raw", "hub"):
                if side == "hub":
                    hub_times.append(await _timed_into_fresh(es, prefix, pipeline))
                else:
                    raw_times.append(await _timed_into_fresh(es, prefix, raw))
        hub_s, raw_s = statistics.median(hub_times), statistics.median(raw_times)
        ratio = raw_s / hub_s
        print(f"  bulk path, {len(hub_times)} runs each, ABBA, merges settled between runs:")
        print(f"    indexer bulk_index   median {hub_s:6.2f} s  {count / hub_s:8,.0f} records/s")
        print(f"    raw bulk (prepared)  median {raw_s:6.2f} s  {count / raw_s:8,.0f} records/s")
        print(f"    throughput ratio indexer/raw {ratio:.2f}  (target >= 0.85)")
        record(p3_ratio=round(ratio, 3))

        # The MongoDB stand-in scans a collection for every batch: the whole pipeline runs on fewer records.
        count = min(count, FULL_PIPELINE_RECORDS)
        reports = reports[:count]
        prepared = prepared[:count]

        await Report.insert_many(reports)

        async def mark_all() -> None:
            await Report.get_pymongo_collection().update_many({}, {"$set": {"needs_index": True}})

        async def full(alias: str) -> None:
            outcome = await index_marked(es, alias.removesuffix("-reports"), REPORT_KIND, limit=count)
            assert outcome.written == count, outcome
            assert await Report.find({"needs_index": True}).count() == 0

        full_times = []
        raw_again = []
        for hub_first in abba_order(2):
            for side in ("hub", "raw") if hub_first else ("raw", "hub"):
                if side == "hub":
                    full_times.append(await _timed_into_fresh(es, prefix, full, mark_all))
                else:
                    raw_again.append(await _timed_into_fresh(es, prefix, raw))
        full_s, raw_full_s = statistics.median(full_times), statistics.median(raw_again)
        full_ratio = raw_full_s / full_s
        print(
            f"  whole pipeline (MongoDB read in batches, index, markers cleared): median {full_s:6.2f} s, "
            f"{count / full_s:,.0f} records/s; ratio to raw bulk {full_ratio:.2f}"
        )
        record(p3_full_ratio=round(full_ratio, 3))
    finally:
        await drop_indices(es, prefix)
        await clients.mongo.drop_database(settings.mongo_database)
        await clients.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().count))
