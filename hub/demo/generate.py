"""`generate(scale, seed)`: the whole run, region by region, written in bulk as it goes."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import anyio.to_thread

from hub.access.credentials import hash_password
from hub.demo.cases import region_cases
from hub.demo.context import Run
from hub.demo.documents import object_key, pooled_files, region_documents
from hub.demo.elections import build_elections
from hub.demo.keys import Keys
from hub.demo.people import DEMO_PASSWORD, accounts
from hub.demo.plan import PLANS, Scale, quarters
from hub.demo.reports import incident, incident_count, quarterly
from hub.demo.writes import FileStore, Writer
from hub.regions.models import Region, RegionLevel
from hub.reports.deadlines import quarter_end
from hub.storage import ObjectStore

DEFAULT_SEED = 2026
Progress = Callable[[Region, int], None]
"""Called after each region with the records generated so far."""


class DemoError(Exception):
    """The demo cannot be generated here (say, the regions are not seeded)."""


@dataclass(frozen=True)
class GenerationResult:
    scale: Scale
    seed: int
    regions: int
    generated: dict[str, int]  # collection → records generated
    inserted: dict[str, int]  # collection → records new in the database (the others were there already)
    digests: dict[str, str]  # collection → sha256 of its generated records (password hashes left out)
    digest: str  # of all of them
    files_stored: int
    file_bytes: int
    seconds: float

    @property
    def records(self) -> int:
        return sum(self.generated.values())

    @property
    def records_per_second(self) -> float:
        return self.records / self.seconds if self.seconds > 0 else 0.0


def _chosen(regions: list[Region], provinces: Sequence[str] | None) -> list[Region]:
    wanted = None if provinces is None else set(provinces)
    chosen = [
        region
        for region in regions
        if region.level is not RegionLevel.NATIONAL and (wanted is None or wanted & set(region.subtree_codes))
    ]
    return sorted(chosen, key=lambda region: (len(region.ancestors), region.id))


async def generate(
    scale: Scale | str,
    seed: int = DEFAULT_SEED,
    *,
    store: ObjectStore | None = None,
    until: date | None = None,
    provinces: Sequence[str] | None = None,
    password: str = DEMO_PASSWORD,
    batch: int = 1000,
    progress: Progress | None = None,
) -> GenerationResult:
    """Generates the demo data of `scale` and writes what is missing. `until`: the data covers the years
    before the quarter of this day (default today); `provinces`: only their subtrees (default: the scale's);
    `store`: where document files go (None: records only)."""
    started = time.perf_counter()
    plan = PLANS[Scale(scale)]
    regions = await Region.find_all().to_list()
    by_code = {region.id: region for region in regions}
    if "ID" not in by_code:
        raise DemoError("the regions are not seeded: run `pantau seed regions` first")
    chosen = _chosen(regions, provinces if provinces is not None else plan.provinces)
    if not chosen:
        raise DemoError(f"no region lies under {', '.join(provinces or ())}")
    periods = quarters(until or datetime.now(UTC).date(), plan.years)
    now = quarter_end(periods[-1])
    run = Run(Keys(seed), plan, now, periods, chosen, by_code)
    run.elections = build_elections(run)

    writer, files = Writer(batch), FileStore(store)
    await writer.add(list(run.elections))
    password_hash = await anyio.to_thread.run_sync(hash_password, password)
    await writer.add(list(accounts(run, by_code["ID"], password_hash)))
    pool = pooled_files(run, plan.pooled_files) if plan.pooled_files else None
    for region in chosen:
        documents, region_files = region_documents(run, region, pool)
        for file in region_files:
            await files.put(object_key(file), file)
        await writer.add(list(documents))
        reports = [quarterly(run, region, period, documents) for period in periods]
        await writer.add([report for report, _facts in reports])
        for period in periods:
            count = incident_count(run, region, period)
            await writer.add([incident(run, region, period, number) for number in range(count)])
        await writer.add(list(region_cases(run, region, reports)))
        if progress is not None:
            progress(region, sum(writer.generated.values()))
    await writer.flush()
    return GenerationResult(
        scale=plan.scale,
        seed=seed,
        regions=len(chosen),
        generated=dict(writer.generated),
        inserted={name: writer.inserted.get(name, 0) for name in writer.generated},
        digests=writer.digests(),
        digest=writer.digest(),
        files_stored=files.stored,
        file_bytes=files.stored_bytes,
        seconds=time.perf_counter() - started,
    )
