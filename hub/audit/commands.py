"""`pantau audit`: commands over the audit chain."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

if TYPE_CHECKING:
    from hub.audit.service import VerifyResult

audit_app = typer.Typer(help="The audit chain of every change.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@audit_app.command("verify")
def verify_command() -> None:
    """Check the audit chain from its first entry: no gaps, every link, every hash.

    Prints the entry count when the chain is intact, or names the first broken entry and exits with 1.
    """
    from hub.audit.models import AuditEntry
    from hub.audit.service import verify
    from hub.clients import open_clients
    from hub.settings import SettingsError, get_settings

    try:
        settings = get_settings()
    except SettingsError as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None

    async def run() -> VerifyResult:
        clients = await open_clients(settings)
        try:
            total = await AuditEntry.get_pymongo_collection().count_documents({})
            with Progress(
                TextColumn("verifying audit chain"), BarColumn(), MofNCompleteColumn(), console=err
            ) as bar:
                task = bar.add_task("audit", total=total)
                return await verify(progress=lambda done: bar.advance(task, done))
        finally:
            await clients.close()

    result = asyncio.run(run())
    if result.ok:
        out.print(f"[green]{result.describe()}[/green]", soft_wrap=True)
        return
    out.print(f"[red]{result.describe()}[/red]", soft_wrap=True)
    raise typer.Exit(1)
