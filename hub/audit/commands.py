"""`pantau audit`: commands over the audit chain and its checkpoints in the object store."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

if TYPE_CHECKING:
    from hub.audit.anchor import Anchoring
    from hub.clients import Clients

audit_app = typer.Typer(help="The audit chain of every change.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def _run(work: Callable[[Clients], Awaitable[Anchoring]]) -> None:
    """Run `work` with open clients, print its outcome, and exit 1 when the chain is broken."""
    from hub.clients import open_clients
    from hub.settings import SettingsError, get_settings

    try:
        settings = get_settings()
    except SettingsError as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None

    async def run() -> Anchoring:
        clients = await open_clients(settings)
        try:
            return await work(clients)
        finally:
            await clients.close()

    outcome = asyncio.run(run())
    if outcome.result.ok:
        out.print(f"[green]{outcome.describe()}[/green]", soft_wrap=True)
        return
    out.print(f"[red]{outcome.describe()}[/red]", soft_wrap=True)
    raise typer.Exit(1)


@audit_app.command("verify")
def verify_command() -> None:
    """Check the audit chain from its first entry: no gaps, every link, every hash under the audit key, no
    unkeyed entry after keyed ones, and every signed checkpoint in the object store (the entry it names
    still has its hash; the chain is at least that long). Then checkpoints the head.

    Prints the entry count when the chain is intact, or names the first broken entry and exits with 1.
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

    _run(work)


@audit_app.command("checkpoint")
def checkpoint_command() -> None:
    """Checkpoint the head of the audit chain now: check the entries since the latest checkpoint, then
    write the signed head to the object store (the scheduler does this every
    PANTAU_AUDIT_CHECKPOINT_INTERVAL_SECONDS).

    Names the seq it wrote, or the first broken entry (and writes nothing, exit 1).
    """
    from hub.audit.anchor import checkpoint_now

    _run(lambda clients: checkpoint_now(clients.store))
