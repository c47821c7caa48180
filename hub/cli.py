"""The `pantau` command line. Like the app factory, this is a composition root."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from hub.audit.commands import audit_app
from hub.backup.commands import SearchHooks, make_backup_app
from hub.inventory.command import make_check_command
from hub.settings import Settings, SettingsError, get_settings
from search.commands import reindex
from search.inventory import index_states, rebuild_all

console = Console(stderr=True)
app = typer.Typer(
    help="Pantau Hub: regional political-development monitoring data hub.", no_args_is_help=True
)
seed_app = typer.Typer(help="Load reference data.", no_args_is_help=True)
schema_app = typer.Typer(help="The GraphQL schema.", no_args_is_help=True)
app.add_typer(seed_app, name="seed")
app.add_typer(schema_app, name="schema")
users_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.command("reindex")(reindex)
app.add_typer(make_backup_app(SearchHooks(rebuild=rebuild_all, inventory=index_states)), name="backup")
app.command("check")(make_check_command(index_states))

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


def _long_running(settings: Settings) -> Settings:
    """A process that serves for days (API, worker, scheduler): its allocator keeps large buffers apart."""
    from hub.allocator import fix_malloc_thresholds

    fix_malloc_thresholds(settings.malloc_mmap_threshold_bytes)
    return settings


def _configure_logging(settings: Settings) -> None:
    from hub.logs import configure_logging

    configure_logging(logging.INFO, settings.environment)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Bind address (default: PANTAU_HOST)."),
    port: int | None = typer.Option(None, help="Port (default: PANTAU_PORT)."),
) -> None:
    """Run the GraphQL API (GraphiQL at /graphql outside production)."""
    import uvicorn

    from hub.app import create_app

    settings = _long_running(_settings())
    _configure_logging(settings)
    bind_host, bind_port = host or settings.host, port or settings.port
    if settings.graphiql_enabled:
        console.print(f"GraphiQL: [bold]http://{bind_host}:{bind_port}/graphql[/bold]")
    # proxy_headers off: uvicorn would otherwise take X-Forwarded-For from loopback peers as the client; the
    # app decides whom to believe (PANTAU_TRUSTED_PROXIES, hub.http.client_address).
    uvicorn.run(
        create_app(settings),
        host=bind_host,
        port=bind_port,
        log_config=None,
        log_level="info",
        proxy_headers=False,
    )


@app.command()
def worker(
    concurrency: int = typer.Option(2, help="Worker processes."),
    queues: str | None = typer.Option(
        None,
        help="Queue groups to consume, comma-separated: ingest (extraction, OCR), index (indexing, the "
        "sweep), periodic (webhooks, reminders, escalation, purges). Default: PANTAU_WORKER_QUEUES (all).",
    ),
) -> None:
    """Run a Celery worker for ingest, indexing and the periodic jobs (or some of them: --queues)."""
    from workers.celery_app import create_celery
    from workers.queues import Queues, parse_groups

    settings = _long_running(_settings())
    try:
        groups = parse_groups(queues if queues is not None else settings.worker_queues)
    except ValueError as error:
        console.print(f"[red]--queues: {error}[/red]")
        raise typer.Exit(2) from None
    names = Queues.of(settings)
    celery = create_celery(settings)
    celery.worker_main(
        [
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            "-Q",
            ",".join(names.name(group) for group in groups),
            "--without-gossip",
            "--without-mingle",
        ]
    )


@app.command()
def scheduler() -> None:
    """Run the periodic scheduler (Celery beat): the sweep for lost work, webhooks, reminders, escalation of
    overdue cases. Safe to run more than once: one is active (a Redis lock), the others stand by."""
    from workers.celery_app import create_celery

    settings = _long_running(_settings())
    celery = create_celery(settings)
    celery.start(["beat", "--loglevel=INFO", "--scheduler=workers.beat:SingletonScheduler"])


@seed_app.command("regions")
def seed_regions_command() -> None:
    """Load the official region tree (38 provinces, 514 regencies/cities); safe to repeat."""
    from hub.caches import synced
    from hub.clients import open_clients
    from hub.regions.seed import read_rows, seed_regions

    settings = _settings()
    total = len(read_rows())

    async def run() -> int:
        clients = await open_clients(settings)
        try:
            # The running API and worker processes drop their cached region tree when it is done.
            with (
                synced(clients.redis, settings),
                Progress(
                    TextColumn("seeding regions"), BarColumn(), MofNCompleteColumn(), console=console
                ) as bar,
            ):
                task = bar.add_task("regions", total=total)
                return await seed_regions(progress=lambda done: bar.advance(task, done))
        finally:
            await clients.close()

    written = asyncio.run(run())
    console.print(f"{written} regions in place")


@seed_app.command("demo")
def seed_demo_command(
    scale: str = typer.Option(
        "small",
        help="small: two provinces (what `make run` loads); national: every "
        "region, ~200k reports and ~100k documents.",
    ),
    seed: int = typer.Option(2026, help="Same seed, same data."),
    until: str | None = typer.Option(
        None, help="YYYY-MM-DD: the data covers the ten years before this day's quarter (default: today)."
    ),
    province: list[str] | None = typer.Option(
        None, "--province", "-p", help="Only this province's subtree (repeatable); default: the scale's."
    ),
    password: str = typer.Option(
        "pantau-demo-2026", envvar="PANTAU_DEMO_PASSWORD", help="Password of every demo account."
    ),
    files: bool = typer.Option(True, "--files/--no-files", help="Store the documents' files."),
    reindex_after: bool = typer.Option(
        False, "--reindex", help="Rebuild the search indices afterwards (else the worker's sweep indexes)."
    ),
) -> None:
    """Load deterministic demo data: reports, incidents, cases, elections, users and documents across
    regions, in Indonesian. Safe to repeat: what is there already is left alone. Needs the regions seeded."""
    from datetime import date

    from hub.clients import open_clients
    from hub.demo.command import accounts_note, figures, run_demo, summary
    from hub.demo.generate import DemoError
    from hub.demo.plan import PLANS, Scale

    try:
        chosen = Scale(scale)
        end = date.fromisoformat(until) if until else None
    except ValueError as error:
        console.print(f"[red]{error}: --scale is small or national, --until is YYYY-MM-DD[/red]")
        raise typer.Exit(2) from None
    settings = _settings()

    async def run() -> None:
        clients = await open_clients(settings)
        try:
            if files:
                await clients.store.ensure_bucket()
            result = await run_demo(
                clients,
                console,
                scale=chosen,
                seed=seed,
                until=end,
                provinces=province or None,
                password=password,
                store_files=files,
            )
        finally:
            await clients.close()
        console.print(summary(result))
        console.print(figures(result), soft_wrap=True)
        if chosen is Scale.SMALL:
            console.print(accounts_note(list(province or PLANS[chosen].provinces or ()), password))

    try:
        asyncio.run(run())
    except DemoError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    if reindex_after:
        reindex(kind=None, batch=1000, keep_old=False)


@users_app.command("create")
def users_create(
    username: str = typer.Option(..., help="Login name: lowercase letters, digits, '.', '_' or '-'."),
    role: str = typer.Option("admin", help="operator, coordinator, reviewer, leader or admin."),
    region: str = typer.Option("ID", help="Home region code; national roles use ID."),
    agency: str | None = typer.Option(None, help="Agency or office name."),
    password: str = typer.Option(
        ...,
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="PANTAU_NEW_USER_PASSWORD",
        help="Asked for when not given (or read from PANTAU_NEW_USER_PASSWORD).",
    ),
) -> None:
    """Create an account, such as the first admin. Needs the regions seeded."""
    from hub.access.errors import AccessError
    from hub.access.roles import Role
    from hub.access.users import create_user
    from hub.clients import open_clients

    settings = _settings()
    try:
        chosen_role = Role(role)
    except ValueError:
        console.print(f"[red]unknown role {role!r}; choose one of {', '.join(r.value for r in Role)}[/red]")
        raise typer.Exit(2) from None

    async def run() -> str:
        clients = await open_clients(settings)
        try:
            user = await create_user(
                username=username,
                password=password,
                role=chosen_role,
                region_code=region,
                agency=agency,
                actor="system:cli",
            )
            return user.username
        finally:
            await clients.close()

    try:
        created = asyncio.run(run())
    except AccessError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from None
    console.print(f"created {chosen_role.value} {created}")


@seed_app.command("templates")
def seed_templates_command() -> None:
    """Load the report templates (quarterly, incident); existing versions are left as they are."""
    from hub.clients import open_clients
    from hub.reports.templates import seed_templates

    settings = _settings()

    async def run() -> int:
        clients = await open_clients(settings)
        try:
            return await seed_templates()
        finally:
            await clients.close()

    console.print(f"{asyncio.run(run())} new template versions")


@seed_app.command("sample")
def seed_sample_command(
    round_number: int = typer.Option(1, "--round", min=1, max=5, help="1 creates; 2 to 5 change and add."),
    regions: int = typer.Option(4, min=1, max=50, help="How many regencies get sample data."),
) -> None:
    """A small sample data set through the services (reports, incidents, documents, versions, the trash), for
    drills and demos. Needs `seed regions` and `seed templates`. Indexing is left to the sweep."""
    from hub.clients import open_clients
    from hub.sample.seed import seed_sample

    settings = _settings()

    async def run() -> str:
        clients = await open_clients(settings)
        try:
            await clients.store.ensure_bucket()
            result = await seed_sample(settings, clients.store, round_number=round_number, regions=regions)
        finally:
            await clients.close()
        return (
            f"round {round_number}: {result.reports} reports, {result.incidents} incidents, "
            f"{result.documents} "
            f"documents, {result.versions} new versions, {result.edits} edits, {result.trashed} trashed"
        )

    console.print(asyncio.run(run()))


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
