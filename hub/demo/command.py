"""`pantau seed demo`: the command-line face of `generate`, with a progress bar and a summary."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from hub.clients import Clients
from hub.demo.context import username
from hub.demo.generate import GenerationResult, generate
from hub.demo.plan import PLANS, Scale
from hub.regions.models import Region, RegionLevel


async def expected_regions(scale: Scale, provinces: list[str] | None) -> int:
    wanted = provinces or PLANS[scale].provinces
    criteria: dict[str, object] = {"level": {"$ne": RegionLevel.NATIONAL.value}}
    if wanted is not None:
        criteria["$or"] = [{"_id": {"$in": list(wanted)}}, {"ancestors": {"$in": list(wanted)}}]
    return int(await Region.find(criteria).count())


async def run_demo(
    clients: Clients,
    console: Console,
    *,
    scale: Scale,
    seed: int,
    until: date | None,
    provinces: list[str] | None,
    password: str,
    store_files: bool,
) -> GenerationResult:
    total = await expected_regions(scale, provinces)
    with Progress(
        TextColumn(f"demo data ({scale.value})"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("regions, {task.fields[records]:,} records"),
        TimeRemainingColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("regions", total=total, records=0)

        def advance(region: Region, records: int) -> None:
            bar.update(task, advance=1, records=records)

        return await generate(
            scale,
            seed,
            store=clients.store if store_files else None,
            until=until,
            provinces=provinces,
            password=password,
            progress=advance,
        )


def summary(result: GenerationResult) -> Table:
    table = Table(title=f"demo data: {result.scale.value}, seed {result.seed}, {result.regions} regions")
    table.add_column("collection")
    table.add_column("generated", justify="right")
    table.add_column("new", justify="right")
    for name, count in result.generated.items():
        table.add_row(name, f"{count:,}", f"{result.inserted.get(name, 0):,}")
    table.add_row("all", f"{result.records:,}", f"{sum(result.inserted.values()):,}", end_section=True)
    return table


def figures(result: GenerationResult) -> str:
    return (
        f"{result.records:,} records in {result.seconds:.1f} s ({result.records_per_second:,.0f} records/s); "
        f"{result.files_stored} files stored ({result.file_bytes / 1e6:.1f} MB); digest {result.digest}"
    )


def accounts_note(provinces: list[str], password: str) -> str:
    """Where to log in, for newcomers (small scale)."""
    examples = ", ".join(
        username(role, code) for code in provinces[:1] for role in ("operator", "coordinator")
    )
    return (
        f"demo accounts (password [bold]{password}[/bold]): demo-reviewer, demo-leader, and an operator "
        f"and a coordinator per region, e.g. {examples}"
    )
