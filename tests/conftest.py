"""Test harness: real MongoDB-protocol, MinIO, Elasticsearch and Redis servers, isolated per session.

Each session gets its own database, bucket, index prefix and Celery queue, removed afterwards. A missing
service fails the tests that need it, naming the command that starts it; nothing is skipped.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from hub.access.credentials import PasswordCost, use_password_cost
from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.app import create_app
from hub.clients import Clients, open_clients
from hub.regions.seed import seed_regions
from hub.reports.templates import seed_templates
from hub.settings import Environment, Settings, SettingsError, load_settings
from search.indices import drop_indices
from tests import durations
from tests.graphql import Client, app_clients
from tests.mongo_commands import COMMANDS  # noqa: F401  (registers the listener before any client exists)
from tests.object_stores import add_option, parametrize, select_and_order, store_of, store_overrides
from tests.processes import ROOT, running_worker

# argon2 at its cheapest: many tests hash and check passwords, each 0.2 CPU-seconds at the production cost
# (up to a second on a loaded CI machine). tests/test_password_cost.py checks the production cost itself.
TEST_PASSWORD_COST = PasswordCost(time_cost=1, memory_kib=8, parallelism=1)
use_password_cost(TEST_PASSWORD_COST)

START_HINT = "start them with `make services` (or `uv run pantau services up`) and run the tests again"
TEST_MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _base_settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        raise RuntimeError(f"the test services are not configured ({error}); {START_HINT}") from None


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:10]


def pytest_addoption(parser: pytest.Parser) -> None:
    add_option(parser)  # --object-store


def pytest_configure(config: pytest.Config) -> None:
    durations.register(config, config.getoption("--object-store"))  # for `make test-slow`


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize(metafunc)  # the storage tests run on MinIO and on SeaweedFS


@pytest.hookimpl(trylast=True)  # after pytest's own reordering
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    select_and_order(config, items)


@pytest.fixture(scope="session")
def object_store(request: pytest.FixtureRequest) -> str:
    """The object store of the session's services: MinIO, or SeaweedFS for the storage tests' second run."""
    return store_of(getattr(request, "param", None))


@pytest.fixture(scope="session")
def settings(run_id: str, object_store: str) -> Settings:
    base = _base_settings()
    mongo_url = (
        os.environ.get("PANTAU_TEST_MONGO_URL") or _env_file_value("PANTAU_TEST_MONGO_URL") or base.mongo_url
    )
    return base.model_copy(
        update={
            "environment": Environment.TEST,
            "mongo_url": mongo_url,
            "mongo_database": f"pantau_test_{run_id}",
            "minio_bucket": f"pantau-test-{run_id}",
            "es_index_prefix": f"test-{run_id}",
            "celery_queue": f"pantau-test-{run_id}",
            "max_upload_bytes": TEST_MAX_UPLOAD_BYTES,
            # The shared test app serves hundreds of requests a minute as one admin; tests/test_hardening.py
            # builds its own app with a tight limit to test rate limiting.
            "cost_budget_per_window": 0,
            # Shared with the worker and server subprocesses, so their tokens are interchangeable.
            "jwt_secret": SecretStr(f"test-{run_id}-{uuid.uuid4().hex}"),
            # The session's accounts log in once, at the start: their tokens must outlast the whole run on
            # a slow machine (the default 15 minutes did not). Tests of expiry set their own short life.
            "access_token_ttl_seconds": 6 * 3600,
            **store_overrides(object_store, lambda key: os.environ.get(key) or _env_file_value(key)),
        }
    )


def _env_file_value(key: str) -> str | None:
    path = Path(os.environ.get("PANTAU_ENV_FILE", ROOT / ".local" / "services.env"))
    if not path.is_file():
        return None
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name.strip() == key:
            return value.strip()
    return None


@pytest.fixture(scope="session")
async def clients(settings: Settings) -> AsyncIterator[Clients]:
    opened = await open_clients(settings)
    try:
        await opened.store.ensure_bucket()
    except Exception as error:  # reported below with the other services
        bucket_error: Exception | None = error
    else:
        bucket_error = None
    failing = {name: reason for name, reason in (await opened.readiness()).items() if reason}
    if bucket_error is not None:
        failing.setdefault("minio", str(bucket_error))
    if failing:
        await opened.close()
        details = "; ".join(f"{name}: {reason}" for name, reason in failing.items())
        raise RuntimeError(f"test services unreachable ({details}); {START_HINT}")
    try:
        yield opened
    finally:
        await _cleanup(opened, settings)
        await opened.close()


async def _cleanup(clients: Clients, settings: Settings) -> None:
    await clients.mongo.drop_database(settings.mongo_database)
    await drop_indices(clients.es, settings.es_index_prefix)

    def empty_bucket() -> None:
        minio = clients.store.client
        for key in clients.store.keys_sync():
            minio.remove_object(settings.minio_bucket, key)
        minio.remove_bucket(settings.minio_bucket)

    await asyncio.to_thread(empty_bucket)


@pytest.fixture(scope="session")
async def seeded(clients: Clients) -> Clients:
    await seed_regions()
    await seed_templates()
    return clients


@pytest.fixture(scope="session")
async def app(settings: Settings, seeded: Clients) -> AsyncIterator[Starlette]:
    application = create_app(settings, shared_clients=seeded)
    async with application.router.lifespan_context(application):
        yield application


TIGHT_RATE_LIMIT = 3


@pytest.fixture(scope="module")
async def rate_limited_app(settings: Settings, seeded: Clients) -> AsyncIterator[Starlette]:
    """An app whose callers have TIGHT_RATE_LIMIT points each (a simple operation or an export costs 1), in a
    window no test outlasts."""
    tight = settings.model_copy(
        update={"cost_budget_per_window": TIGHT_RATE_LIMIT, "cost_window_seconds": 3600}
    )
    application = create_app(tight, shared_clients=seeded)
    async with application.router.lifespan_context(application):
        yield application


@dataclass(frozen=True)
class Account:
    username: str
    role: Role
    region: str
    password: str
    token: str


# One account per role, at the levels the authorization tests need.
ACCOUNTS: dict[str, tuple[Role, str]] = {
    "admin": (Role.ADMIN, "ID"),
    "reviewer": (Role.REVIEWER, "ID"),
    "leader-31": (Role.LEADER, "31"),
    "coordinator-31": (Role.COORDINATOR, "31"),
    "operator-31.74": (Role.OPERATOR, "31.74"),
    "operator-11.01": (Role.OPERATOR, "11.01"),
}
TEST_PASSWORD = "rahasia-pantau-2026"


@pytest.fixture(scope="session")
async def accounts(seeded: Clients, settings: Settings) -> dict[str, Account]:
    made = {}
    for username, (role, region) in ACCOUNTS.items():
        await create_user(username=username, password=TEST_PASSWORD, role=role, region_code=region)
        tokens = await login(settings, username, TEST_PASSWORD)
        made[username] = Account(username, role, region, TEST_PASSWORD, tokens.access_token)
    return made


@pytest.fixture
def client_for(app: Starlette) -> Client:
    """An HTTP client for the app carrying a bearer token (or none); close it with `async with`."""
    return app_clients(app)


@pytest.fixture
async def http(client_for: Client, accounts: dict[str, Account]) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in as the admin, for tests about something other than access."""
    async with client_for(accounts["admin"].token) as client:
        yield client


@pytest.fixture(scope="session")
def api_server(
    settings: Settings, seeded: Clients, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`pantau serve` in a process of its own (tests/live_helpers.py's `api_process`, its default settings);
    yields its base URL. One for the session: the modules that need a second API process as it is share it,
    since each start costs seconds. Modules that need other settings start their own."""
    from tests.live_helpers import api_process  # it imports this module

    with api_process(settings, tmp_path_factory.mktemp("api") / "serve.log") as base:
        yield base


@pytest.fixture(scope="session")
def worker(settings: Settings, clients: Clients, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real Celery worker process on this session's queue; yields its log file."""
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    with running_worker(settings, log_path):
        yield log_path
