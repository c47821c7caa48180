"""`pantau reindex`: rebuild the search indices from MongoDB with no downtime (see search.rebuild)."""

from __future__ import annotations

import asyncio
from enum import StrEnum

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

console = Console(stderr=True)


class KindChoice(StrEnum):
    REPORTS = "reports"
    CASES = "cases"
    DOCUMENTS = "documents"


def reindex(
    kind: list[KindChoice] | None = typer.Option(
        None, "--kind", "-k", help="Rebuild only this kind (repeatable); default: all."
    ),
    batch: int = typer.Option(1000, min=1, max=10_000, help="Records per bulk request."),
    keep_old: bool = typer.Option(False, "--keep-old", help="Keep the previous index after the swap."),
) -> None:
    """Rebuild search indices from MongoDB into new indices and swap their aliases atomically; searches keep
    answering meanwhile, and records changed during the rebuild are caught up after the swap."""
    from hub.clients import open_clients
    from hub.settings import SettingsError, get_settings
    from search.indices import IndexLayout, ensure_indices
    from search.kinds import KINDS
    from search.rebuild import count_records, rebuild

    try:
        settings = get_settings()
    except SettingsError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    chosen = [KINDS[choice.value] for choice in kind] if kind else list(KINDS.values())

    async def run() -> None:
        clients = await open_clients(settings)
        try:
            layout = IndexLayout.of(settings)
            await ensure_indices(clients.es, settings.es_index_prefix, layout)
            for record_kind in chosen:
                total = await count_records(record_kind)
                with Progress(
                    TextColumn(f"reindexing {record_kind.name}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    console=console,
                ) as bar:
                    task = bar.add_task(record_kind.name, total=total)

                    async def advance(done: int, task_id: TaskID = task) -> None:
                        bar.advance(task_id, done)

                    result = await rebuild(
                        clients.es,
                        settings.es_index_prefix,
                        record_kind,
                        batch=batch,
                        keep_old=keep_old,
                        progress=advance,
                        layout=layout,
                    )
                console.print(
                    f"{record_kind.name}: {result.copied.total} copied into {result.index}, "
                    f"{result.caught_up.total} caught up after the swap, "
                    f"{len(result.copied.failed) + len(result.caught_up.failed)} failed; "
                    + (f"dropped {', '.join(result.dropped)}" if result.dropped else "no index dropped")
                )
        finally:
            await clients.close()

    asyncio.run(run())
