"""`pantau services up|down|status` (also `python -m infra.local ...`)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from infra.local import manager
from infra.local.paths import LocalPaths

app = typer.Typer(
    help=(
        "Local services for development and CI, without Docker: MongoDB protocol (mongo, mongo-test), "
        "MinIO, Elasticsearch, Redis, and SeaweedFS (the second object store the storage tests run on) on "
        "127.0.0.1. Builds, downloads, data, logs and pid files live in .local/ (override with "
        "PANTAU_LOCAL_DIR). A service whose PANTAU_*_URL / PANTAU_MINIO_ENDPOINT / PANTAU_SEAWEEDFS_ENDPOINT "
        "is set in the environment is external and is not started."
    ),
    no_args_is_help=True,
)

console = Console(highlight=False)
if not console.is_terminal:  # logs and CI: do not squeeze the tables into 80 columns
    console = Console(highlight=False, width=160)

Names = Annotated[
    list[str] | None,
    typer.Argument(help=f"Services to act on (default: all): {', '.join(manager.SERVICE_NAMES)}."),
]


def _selected(names: list[str] | None) -> list[str]:
    try:
        return manager.select(names)
    except manager.ServiceError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None


def _say(message: str) -> None:
    console.print(message, markup=False)


def _pid(value: int | None) -> str:
    return str(value) if value is not None else "-"


def _health(value: bool | None) -> str:
    if value is None:
        return "-"
    return "[green]ok[/green]" if value else "[red]no[/red]"


@app.command()
def up(names: Names = None) -> None:
    """Start the services (all by default) and wait until each answers.

    Idempotent: a service that already runs (our pid file, matching command line, answering) is left alone.

    Writes .local/services.env (mode 0600): addresses and generated credentials of every local service.

    Exits non-zero, printing the last log lines, if a service fails to start."""
    chosen = _selected(names)
    paths = LocalPaths.from_env()
    began = time.monotonic()
    outcomes = manager.up(paths, chosen, _say)
    table = Table(title=f"local services ({time.monotonic() - began:.1f} s)")
    for column in ("service", "state", "address", "pid", "log", "took"):
        table.add_column(column)
    for item in outcomes:
        state = item.state if item.ok else f"[red]{item.state}[/red]"
        took = f"{item.seconds:.1f} s" if item.state in ("started", "running", "already running") else ""
        table.add_row(item.name, state, item.address, _pid(item.pid), item.log or "-", took)
    console.print(table)
    console.print(f"environment file: {paths.env_file}")
    default_env_file = (Path.cwd() / ".local" / "services.env").resolve()
    if paths.env_file.resolve() != default_env_file and os.environ.get("PANTAU_ENV_FILE") != str(
        paths.env_file
    ):
        console.print(f"the app reads {default_env_file} by default: export PANTAU_ENV_FILE={paths.env_file}")
    failed = [item for item in outcomes if not item.ok]
    for item in failed:
        console.print(f"\n[red]{item.name} failed:[/red]")
        console.print(item.detail, markup=False)
    if failed:
        raise typer.Exit(1)


@app.command()
def down(names: Names = None) -> None:
    """Stop the services we started (all by default).

    Only a process with a pid file in .local/run whose /proc cmdline still matches is signalled.

    SIGTERM goes to its process group, SIGKILL after 30 s (SeaweedFS: 10 s). Other processes are never
    touched."""
    chosen = _selected(names)
    outcomes = manager.down(LocalPaths.from_env(), chosen)
    table = Table(title="local services")
    for column in ("service", "result", "pid"):
        table.add_column(column)
    for item in outcomes:
        table.add_row(item.name, item.state if item.ok else f"[yellow]{item.state}[/yellow]", _pid(item.pid))
    console.print(table)


@app.command()
def status(names: Names = None) -> None:
    """Show each service: running / stopped / external, pid, address, and whether it answers.

    Exits non-zero when a selected local (not external) service is not running and answering.

    Also reports whether Tesseract has the Indonesian (ind) language data (informational)."""
    chosen = _selected(names)
    paths = LocalPaths.from_env()
    outcomes = manager.status(paths, chosen)
    table = Table(title=f"local services ({paths.root})")
    for column in ("service", "state", "address", "pid", "answers", "log"):
        table.add_column(column)
    for item in outcomes:
        state = item.state if item.ok else f"[red]{item.state}[/red]"
        table.add_row(item.name, state, item.address, _pid(item.pid), _health(item.healthy), item.log or "-")
    console.print(table)
    languages = manager.tesseract_languages()
    if languages is None:
        console.print("tesseract: [yellow]not installed[/yellow] (run infra/bootstrap.sh)")
    else:
        has_ind = "ind" in languages
        mark = "[green]yes[/green]" if has_ind else "[yellow]no[/yellow] (apt-get install tesseract-ocr-ind)"
        console.print(f"tesseract: Indonesian (ind) language data: {mark}")
    if not all(item.ok for item in outcomes):
        raise typer.Exit(1)
