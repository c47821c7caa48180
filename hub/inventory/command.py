"""`pantau check`: reconcile MongoDB, the object store and the search indices (hub.inventory.check), print
every mismatch, exit 1 when there is any. The search side is handed in by the composition root (hub.cli)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

import typer
from rich.console import Console

from hub.clients import Clients, open_clients
from hub.core.clock import utcnow
from hub.inventory.check import CheckPolicy, CheckReport, check_stack
from hub.inventory.state import IndexState
from hub.settings import SettingsError, get_settings

IndexInventory = Callable[[Clients], Awaitable[Mapping[str, IndexState]]]
SHOWN = 50  # mismatches listed per kind in the readable output; --json lists them all
out = Console()
err = Console(stderr=True)


def _summary(report: CheckReport) -> str:
    checked = report.as_dict()["checked"]
    entries = ", ".join(f"{kind} {count}" for kind, count in checked["index_entries"].items())
    return (
        f"{checked['records_with_objects']} document records naming {checked['objects_referenced']} objects; "
        f"{checked['objects_stored']} objects stored; index entries: {entries or 'none'}"
    )


def make_check_command(index_inventory: IndexInventory) -> Callable[..., None]:
    def check(
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON (every mismatch)."),
        deep: bool = typer.Option(False, "--deep", help="Read every object back to its SHA-256."),
        grace_seconds: int | None = typer.Option(
            None,
            min=0,
            help="Objects no record names count as orphans only once older than this (uploads store their "
            "bytes before their record). Default: PANTAU_ORPHAN_OBJECT_GRACE_SECONDS.",
        ),
    ) -> None:
        """Reconcile MongoDB, the object store and the search indices: objects missing or changed, objects
        no record names, index entries missing, stale (below the record's version), ahead of it, or
        without a record. Exits with 1 when there is any mismatch."""
        try:
            settings = get_settings()
        except SettingsError as error:
            err.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from None
        policy = CheckPolicy.of(settings, grace_seconds=grace_seconds, deep=deep)

        async def run() -> CheckReport:
            clients = await open_clients(settings)
            try:
                index = await index_inventory(clients)
                database = clients.mongo[settings.mongo_database]
                return await check_stack(
                    database, clients.store, settings, index, policy=policy, now=utcnow()
                )
            finally:
                await clients.close()

        report = asyncio.run(run())
        if as_json:
            typer.echo(report.to_json())
        else:
            out.print(_summary(report), soft_wrap=True)
            shown: dict[str, int] = {}
            for mismatch in report.mismatches:
                shown[mismatch.kind] = shown.get(mismatch.kind, 0) + 1
                if shown[mismatch.kind] <= SHOWN:
                    line = f"{mismatch.kind.value}: {mismatch.subject} ({mismatch.detail})"
                    err.print(line, style="red", markup=False, soft_wrap=True)
            for kind, count in report.counts().items():
                if count > SHOWN:
                    err.print(f"{kind}: {count - SHOWN} more (see --json)", style="red", markup=False)
            if report.ok:
                out.print("[green]consistent: every object and index entry follows from MongoDB[/green]")
        if not report.ok:
            raise typer.Exit(1)

    return check
