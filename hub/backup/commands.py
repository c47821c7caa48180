"""`pantau backup`: create, list, verify, restore, prune, reconcile.

The search side (rebuilding the indices after a restore, counting their entries for a reconciliation) is
handed in by the composition root (hub.cli): the domain never imports `search`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from hub.backup.errors import BackupError
from hub.backup.restore import SearchRebuild
from hub.clients import Clients
from hub.inventory.state import IndexState
from hub.settings import Settings, SettingsError, get_settings

IndexInventory = Callable[[Clients], Awaitable[Mapping[str, IndexState]]]
T = TypeVar("T")
out = Console()
err = Console(stderr=True)
TARGET = typer.Option(
    None, "--target", "-t", help="A directory or s3://bucket/prefix (default: PANTAU_BACKUP_TARGET)."
)
BACKUP_ID = typer.Argument("latest", help="A backup id (see `pantau backup list`), or `latest`.")


@dataclass(frozen=True)
class SearchHooks:
    rebuild: SearchRebuild
    inventory: IndexInventory


class BarProgress:
    """hub.backup.create.Progress on a rich bar: records counted, objects in bytes."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task: TaskID | None = None

    def phase(self, name: str, total: int) -> None:
        if self.task is not None:
            self.bar.update(self.task, visible=False)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, amount: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, amount)


def _progress_bar(verb: str) -> Progress:
    return Progress(
        TextColumn(f"{verb} " + "{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
    )


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None


def _run(settings: Settings, work: Callable[[Clients], Coroutine[Any, Any, T]]) -> T:
    """Runs `work` with open clients; a BackupError or missing key ends the command with its message."""
    from hub.clients import open_clients

    async def run() -> T:
        clients = await open_clients(settings)
        try:
            return await work(clients)
        finally:
            await clients.close()

    try:
        return asyncio.run(run())
    except BackupError as error:
        named = f" (file: {error.file})" if error.file and error.file not in error.message else ""
        err.print(
            f"backup error {error.code.value}: {error.message}{named}",
            style="red",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    except SettingsError as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None


def _size(count: int) -> str:
    return f"{count / 1_048_576:.2f} MiB" if count >= 1_048_576 else f"{count / 1024:.1f} KiB"


def make_backup_app(search: SearchHooks) -> typer.Typer:
    app = typer.Typer(
        help="Encrypted, incremental backups of MongoDB and the object store.", no_args_is_help=True
    )

    @app.command("create")
    def create_command(
        target: str | None = TARGET,
        keep: int | None = typer.Option(None, min=1, help="Then prune to the newest KEEP backups."),
    ) -> None:
        """Back up every data collection and every object the records reference; only what the target does not
        hold yet is written. Ends with the manifest (counts and checksums, sealed)."""
        from hub.backup.service import backup_key, run_backup
        from hub.backup.targets import open_target

        settings = _settings()

        async def work(clients: Clients) -> None:
            where, key = open_target(settings, target), backup_key(settings)
            with _progress_bar("backing up") as bar:
                outcome = await run_backup(
                    clients, where, key, keep=keep, holder="cli", progress=BarProgress(bar)
                )
            manifest, stats = outcome.manifest, outcome.manifest.stats
            out.print(
                f"backup {manifest.id} in {where.description}: {manifest.record_count} records in "
                f"{len(manifest.collections)} collections, {len(manifest.objects)} objects "
                f"({_size(manifest.object_bytes)}); wrote {stats.blobs_written} blobs "
                f"({_size(stats.bytes_written)}), "
                f"reused {stats.blobs_reused} ({_size(stats.bytes_reused)}) in {stats.seconds:.1f} s",
                soft_wrap=True,
            )
            if outcome.pruned is not None:
                out.print(
                    f"pruned {len(outcome.pruned.removed)} backups and {outcome.pruned.blobs_removed} blobs "
                    f"({_size(outcome.pruned.bytes_freed)})"
                )
            for problem in manifest.problems:
                out.print(f"[red]not backed up: {problem}[/red]", soft_wrap=True)
            if manifest.problems:
                raise typer.Exit(1)

        _run(settings, work)

    @app.command("list")
    def list_command(target: str | None = TARGET) -> None:
        """The complete backups in the target, oldest first."""
        from hub.backup.manifest import backup_ids, read_manifest
        from hub.backup.service import backup_key
        from hub.backup.targets import open_target

        settings = _settings()

        async def work(clients: Clients) -> None:
            where, key = open_target(settings, target), backup_key(settings)
            for backup_id in await asyncio.to_thread(backup_ids, where):
                manifest = await asyncio.to_thread(read_manifest, where, key, backup_id)
                out.print(
                    f"{backup_id}  {manifest.record_count} records  {len(manifest.objects)} objects  "
                    f"started {manifest.started_at:%Y-%m-%d %H:%M:%S} UTC"
                )

        _run(settings, work)

    @app.command("verify")
    def verify_command(backup_id: str = BACKUP_ID, target: str | None = TARGET) -> None:
        """Check a backup against its manifest without restoring it: every file opened and authenticated,
        every count and checksum compared. Exits with 1 naming each bad file."""
        from hub.backup.manifest import resolve_id
        from hub.backup.service import backup_key
        from hub.backup.targets import open_target
        from hub.backup.verify import verify_backup

        settings = _settings()

        async def work(clients: Clients) -> None:
            where, key = open_target(settings, target), backup_key(settings)
            chosen = await asyncio.to_thread(resolve_id, where, backup_id)
            with _progress_bar("verifying") as bar:
                report = await verify_backup(where, key, chosen, BarProgress(bar))
            for problem in report.problems:
                err.print(
                    f"{problem.code.value}: {problem.message}", style="red", markup=False, soft_wrap=True
                )
            if report.problems:
                first = report.problems[0]
                raise BackupError(
                    first.code,
                    f"backup {chosen} has {len(report.problems)} bad files, first {first.file}",
                    first.file,
                )
            out.print(
                f"[green]backup {chosen} verified: {report.manifest.record_count} records, "
                f"{len(report.manifest.objects)} objects, {report.blobs_checked} files[/green]"
            )

        _run(settings, work)

    @app.command("restore")
    def restore_command(
        backup_id: str = BACKUP_ID,
        target: str | None = TARGET,
        force: bool = typer.Option(
            False, "--force", help="Replace the records of a database that holds data."
        ),
    ) -> None:
        """Restore a backup into this stack (PANTAU_MONGO_DATABASE, PANTAU_MINIO_BUCKET,
        PANTAU_ES_INDEX_PREFIX): verify it, write the records and the objects, rebuild the search indices,
        verify the audit chain. Refuses a stack that holds data unless --force."""
        from hub.backup.manifest import resolve_id
        from hub.backup.restore import restore_backup
        from hub.backup.service import backup_key
        from hub.backup.targets import open_target

        settings = _settings()

        async def work(clients: Clients) -> None:
            where, key = open_target(settings, target), backup_key(settings)
            chosen = await asyncio.to_thread(resolve_id, where, backup_id)
            with _progress_bar("restoring") as bar:
                report = await restore_backup(
                    clients,
                    where,
                    key,
                    chosen,
                    rebuild_search=search.rebuild,
                    force=force,
                    progress=BarProgress(bar),
                )
            out.print(
                f"[green]restored backup {chosen}: {report.records} records, {report.objects} objects; "
                f"search: {report.search}; {report.audit}[/green]",
                soft_wrap=True,
            )

        _run(settings, work)

    @app.command("prune")
    def prune_command(
        target: str | None = TARGET,
        keep: int | None = typer.Option(None, min=1, help="Backups to keep (default: PANTAU_BACKUP_KEEP)."),
    ) -> None:
        """Delete all but the newest backups, and every blob no kept backup needs."""
        from hub.backup.prune import prune
        from hub.backup.runs import backup_lease
        from hub.backup.service import backup_key
        from hub.backup.targets import open_target

        settings = _settings()

        async def work(clients: Clients) -> None:
            where, key = open_target(settings, target), backup_key(settings)
            from datetime import timedelta

            async with backup_lease("cli-prune", timedelta(seconds=settings.backup_time_limit_seconds)):
                result = await asyncio.to_thread(prune, where, key, keep or settings.backup_keep)
            out.print(
                f"kept {len(result.kept)} backups, removed {len(result.removed)} "
                f"and {result.blobs_removed} blobs "
                f"({_size(result.bytes_freed)})"
            )

        _run(settings, work)

    @app.command("reconcile")
    def reconcile_command(
        backup_id: str = BACKUP_ID,
        target: str | None = TARGET,
        deep: bool = typer.Option(True, "--deep/--shallow", help="Read every object back to its SHA-256."),
        save: Path | None = typer.Option(None, help="Also write the stack's inventory (JSON) here."),
        compare: Path | None = typer.Option(None, help="Also compare with an inventory written earlier."),
    ) -> None:
        """Reconcile this stack with a backup's manifest: every collection's records (count and checksum),
        every object the records reference, every search index entry. Exits with 1 on any difference."""
        from hub.backup.manifest import read_manifest, resolve_id
        from hub.backup.reconcile import expected_inventory
        from hub.backup.service import backup_key
        from hub.backup.targets import open_target
        from hub.inventory.state import Inventory, differences, take_inventory

        settings = _settings()

        async def work(clients: Clients) -> list[str]:
            where, key = open_target(settings, target), backup_key(settings)
            chosen = await asyncio.to_thread(resolve_id, where, backup_id)
            manifest = await asyncio.to_thread(read_manifest, where, key, chosen)
            database = clients.mongo[settings.mongo_database]
            live = await take_inventory(
                database, clients.store, deep=deep, index=await search.inventory(clients)
            )
            if save is not None:
                await asyncio.to_thread(save.write_text, live.to_json(), "utf-8")
            found = [f"against backup {chosen}: {d}" for d in differences(expected_inventory(manifest), live)]
            if compare is not None:
                earlier = Inventory.from_json(await asyncio.to_thread(compare.read_text, "utf-8"))
                found += [f"against {compare}: {d}" for d in differences(earlier, live)]
            found += live.problems()
            summary = {
                "backup": chosen,
                "records": sum(state.records for state in live.collections.values()),
                "objects": live.objects.referenced,
                "index_entries": {kind: state.entries for kind, state in live.index.items()},
            }
            out.print(json.dumps(summary))
            return found

        problems = _run(settings, work)
        for problem in problems:
            err.print(f"[red]{problem}[/red]", soft_wrap=True)
        if problems:
            raise typer.Exit(1)
        out.print("[green]reconciled: every record, object and index entry is as expected[/green]")

    return app
