"""`pantau audit`: commands over the audit chain and its checkpoints in the object store."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from hub.core.clock import utcnow

if TYPE_CHECKING:
    from hub.audit.anchor import Anchoring
    from hub.audit.linker import Waiting
    from hub.clients import Clients
    from hub.settings import Settings

audit_app = typer.Typer(help="The audit chain of every change.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
WAITING_TOO_LONG = 3


def _run(work: Callable[[Clients], Awaitable[Anchoring]], *, report_waiting: bool = False) -> None:
    """Run `work` with open clients, print its outcome, and exit 1 when the chain is broken. With
    `report_waiting`, also report the entries waiting to be linked (`_waiting_verdict`)."""
    settings = _settings()

    async def run() -> tuple[Anchoring, Waiting | None]:
        from hub.audit.linker import waiting_entries
        from hub.clients import open_clients

        clients = await open_clients(settings)
        try:
            anchoring = await work(clients)
            return anchoring, (await waiting_entries() if report_waiting else None)
        finally:
            await clients.close()

    outcome, waiting = asyncio.run(run())
    if not outcome.result.ok:
        out.print(f"[red]{outcome.describe()}[/red]", soft_wrap=True)
        raise typer.Exit(1)
    out.print(f"[green]{outcome.describe()}[/green]", soft_wrap=True)
    if waiting is not None:
        _waiting_verdict(waiting, settings.audit_pending_max_age_seconds)


def _settings() -> Settings:
    from hub.settings import SettingsError, get_settings

    try:
        return get_settings()
    except SettingsError as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None


def _waiting_verdict(waiting: Waiting, max_age_seconds: float) -> None:
    """Set-aside (unsealed) pending entries fail the check (exit 1); entries waiting longer than
    `max_age_seconds` mean the linker is not running (exit 3); younger ones are only reported."""
    if waiting.rejected:
        out.print(
            f"[red]{waiting.rejected} documents hold pending audit entries that were set aside as not "
            "sealed with the audit key (`audit_rejected`): written by someone without the key[/red]",
            soft_wrap=True,
        )
        raise typer.Exit(1)
    if not waiting.count or waiting.oldest is None:
        return
    age = (utcnow() - waiting.oldest).total_seconds()
    where = ", ".join(f"{name} {count}" for name, count in sorted(waiting.by_collection.items()))
    line = (
        f"{waiting.count} audit entries wait to be linked ({where}); the oldest since "
        f"{waiting.oldest.isoformat()} ({age:.0f} s)"
    )
    if age > max_age_seconds:
        out.print(
            f"[red]{line}: longer than {max_age_seconds:g} s (PANTAU_AUDIT_PENDING_MAX_AGE_SECONDS); is "
            "the linker (`pantau.link_audit`, or `pantau audit link`) running?[/red]",
            soft_wrap=True,
        )
        raise typer.Exit(WAITING_TOO_LONG)
    out.print(f"[yellow]warning: {line}[/yellow]", soft_wrap=True)


@audit_app.command("verify")
def verify_command() -> None:
    """Check the audit chain from its first entry: no gaps, every link, every hash under the audit key, no
    unkeyed entry after keyed ones, and every signed checkpoint in the object store (the entry it names
    still has its hash; the chain is at least that long). Then checkpoints the head, and reports the audit
    entries still waiting in changed documents to be linked.

    Prints the entry count when the chain is intact, or names the first broken entry and exits with 1.
    Exits with 1 too when a pending entry was set aside as not sealed with the audit key, and with 3 when
    an entry has waited longer than PANTAU_AUDIT_PENDING_MAX_AGE_SECONDS (younger ones only warn).
    """
    from hub.audit.anchor import verify_anchored
    from hub.audit.models import AuditEntry

    async def work(clients: Clients) -> Anchoring:
        total = await AuditEntry.get_pymongo_collection().count_documents({})
        with Progress(
            TextColumn("verifying audit chain"), BarColumn(), MofNCompleteColumn(), console=err
        ) as bar:
            task = bar.add_task("audit", total=total)
            return await verify_anchored(clients.store, progress=lambda done: bar.advance(task, done))

    _run(work, report_waiting=True)


@audit_app.command("checkpoint")
def checkpoint_command() -> None:
    """Checkpoint the head of the audit chain now: check the entries since the latest checkpoint, then
    write the signed head to the object store (the scheduler does this every
    PANTAU_AUDIT_CHECKPOINT_INTERVAL_SECONDS).

    Names the seq it wrote, or the first broken entry (and writes nothing, exit 1).
    """
    from hub.audit.anchor import checkpoint_now

    _run(lambda clients: checkpoint_now(clients.store))


@audit_app.command("link")
def link_command() -> None:
    """Link every audit entry waiting in changed documents into the chain now (the scheduler does this
    every PANTAU_AUDIT_LINK_INTERVAL_SECONDS). Prints how many were linked, found linked already, or set
    aside as not sealed with the audit key.
    """
    from hub.audit.linker import link_pending
    from hub.clients import open_clients

    async def run() -> dict[str, int]:
        clients = await open_clients(_settings())
        try:
            return (await link_pending()).as_dict()
        finally:
            await clients.close()

    counts = asyncio.run(run())
    out.print(", ".join(f"{name} {count}" for name, count in counts.items()))


@audit_app.command("backfill-regions")
def backfill_regions_command() -> None:
    """Give audit entries written before entries carried their record's region path that path, so that
    reviewers read them within their regions (`auditEntries`). Safe to run again; entries of deleted
    records, and of records without a region, stay admins' only. Prints how many entries were given one.
    """
    from hub.audit.trail import backfill_region_paths
    from hub.clients import open_clients

    async def run() -> int:
        clients = await open_clients(_settings())
        try:
            return await backfill_region_paths()
        finally:
            await clients.close()

    out.print(f"{asyncio.run(run())} audit entries given their record's region path")
