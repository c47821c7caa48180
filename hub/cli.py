"""The `pantau` command line. Like the app factory, this is a composition root."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from hub.settings import Settings, SettingsError, get_settings

console = Console(stderr=True)
app = typer.Typer(
    help="Pantau Hub: regional political-development monitoring data hub.", no_args_is_help=True
)
seed_app = typer.Typer(help="Load reference data.", no_args_is_help=True)
schema_app = typer.Typer(help="The GraphQL schema.", no_args_is_help=True)
app.add_typer(seed_app, name="seed")
app.add_typer(schema_app, name="schema")

try:
    from infra.local.cli import app as services_app

    app.add_typer(services_app, name="services", help="Start, stop and inspect the local services.")
except ImportError:  # the production image ships without the local-services tooling
    pass

SCHEMA_FILE = Path("schema.graphql")


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None


def _configure_logging() -> None:
    from hub.observability import configure_logging

    configure_logging(logging.INFO)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Bind address (default: PANTAU_HOST)."),
    port: int | None = typer.Option(None, help="Port (default: PANTAU_PORT)."),
) -> None:
    """Run the GraphQL API (GraphiQL at /graphql outside production)."""
    import uvicorn

    from hub.app import create_app

    settings = _settings()
    _configure_logging()
    bind_host, bind_port = host or settings.host, port or settings.port
    if settings.graphiql_enabled:
        console.print(f"GraphiQL: [bold]http://{bind_host}:{bind_port}/graphql[/bold]")
    uvicorn.run(create_app(settings), host=bind_host, port=bind_port, log_config=None, log_level="info")


@app.command()
def worker(concurrency: int = typer.Option(2, help="Worker processes.")) -> None:
    """Run a Celery worker for ingest and indexing."""
    from workers.celery_app import create_celery

    settings = _settings()
    celery = create_celery(settings)
    celery.worker_main(
        [
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            "-Q",
            settings.celery_queue,
            "--without-gossip",
            "--without-mingle",
        ]
    )


@app.command()
def scheduler() -> None:
    """Run the periodic scheduler (Celery beat): the sweep that picks up lost work."""
    from workers.celery_app import create_celery

    settings = _settings()
    schedule_dir = Path(".local/run")
    schedule_dir.mkdir(parents=True, exist_ok=True)
    celery = create_celery(settings)
    celery.start(["beat", "--loglevel=INFO", f"--schedule={schedule_dir / 'celerybeat-schedule'}"])


@seed_app.command("regions")
def seed_regions_command() -> None:
    """Load the official region tree (38 provinces, 514 regencies/cities); safe to repeat."""
    from hub.clients import open_clients
    from hub.regions.seed import read_rows, seed_regions

    settings = _settings()
    total = len(read_rows())

    async def run() -> int:
        clients = await open_clients(settings)
        try:
            with Progress(
                TextColumn("seeding regions"), BarColumn(), MofNCompleteColumn(), console=console
            ) as bar:
                task = bar.add_task("regions", total=total)
                return await seed_regions(progress=lambda done: bar.advance(task, done))
        finally:
            await clients.close()

    written = asyncio.run(run())
    console.print(f"{written} regions in place")


@schema_app.command("export")
def schema_export(path: Path = typer.Argument(SCHEMA_FILE, help="Where to write the SDL.")) -> None:
    """Write the GraphQL schema (SDL) to a file; a test fails when the committed file drifts."""
    from schema.schema import build_schema

    path.write_text(build_schema(production=False).as_str() + "\n", encoding="utf-8")
    console.print(f"wrote {path}")


def main() -> None:
    app(prog_name="pantau")


if __name__ == "__main__":
    main()
