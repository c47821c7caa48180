"""The hub as the load runs it, on ports of its own: a MongoDB stand-in of its own (the seeded data set is
hundreds of MB, more than the shared in-memory server of the tests should hold), several API processes (the
targets go round-robin across them, as a load balancer would send them), one Celery worker per queue group,
the scheduler. Elasticsearch, the object store (SeaweedFS) and Redis are the shared ones named by
PANTAU_ENV_FILE, under the load's own index prefix, bucket and queue. The processes are the drill's
(infra.drill.app, infra.drill.nodes), started with production settings and the rate limiter on."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from infra.drill.app import QUEUE_GROUPS, api_node, scheduler_node, worker_node
from infra.drill.nodes import DrillFailed, Node
from infra.local.paths import LocalPaths
from infra.local.process import Launch
from infra.local.versions import HOST

API_BASE_PORT = 8741  # 8741, 8742, ...
MONGO_PORT = 27741
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Names:
    """Where the load's data set lives: its database, index prefix and bucket, reused across runs."""

    database: str
    index_prefix: str
    bucket: str
    queue: str = "load"

    @classmethod
    def of(cls, dataset: str) -> Names:
        slug = dataset.replace(".", "").replace("_", "-")
        return cls(f"pantau_load_{slug}".replace("-", "_"), f"load-{slug}", f"pantau-load-{slug}")


def env_file() -> Path:
    raw = os.environ.get("PANTAU_ENV_FILE")
    if not raw or not Path(raw).is_file():
        raise DrillFailed(
            "set PANTAU_ENV_FILE to the shared services' file (e.g. /work/main/.local/services.env)"
        )
    return Path(raw)


def shared_value(key: str) -> str:
    for line in env_file().read_text().splitlines():
        name, _, value = line.partition("=")
        if name.strip() == key:
            return value.strip()
    raise DrillFailed(f"{key} is not in {env_file()}")


def app_env(names: Names, mongo_url: str, secrets_dir: Path) -> dict[str, str]:
    """Production settings over the shared services; the object store is SeaweedFS, as in production."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PANTAU_")}
    env |= {
        "PANTAU_ENV_FILE": str(env_file()),
        "PANTAU_ENVIRONMENT": "production",
        "PANTAU_LOCAL_DIR": str(ROOT / ".local" / "load" / "app"),
        "PANTAU_MONGO_URL": mongo_url,
        "PANTAU_MONGO_DATABASE": names.database,
        "PANTAU_MINIO_ENDPOINT": shared_value("PANTAU_SEAWEEDFS_ENDPOINT"),
        "PANTAU_MINIO_ACCESS_KEY": shared_value("PANTAU_SEAWEEDFS_ACCESS_KEY"),
        "PANTAU_MINIO_SECRET_KEY": shared_value("PANTAU_SEAWEEDFS_SECRET_KEY"),
        "PANTAU_MINIO_BUCKET": names.bucket,
        "PANTAU_ES_INDEX_PREFIX": names.index_prefix,
        "PANTAU_CELERY_QUEUE": names.queue,
        # Kept across runs: the audit chain and tokens of one data set stay valid from one run to the next.
        "PANTAU_JWT_SECRET": _kept_secret(secrets_dir / "jwt"),
        "PANTAU_AUDIT_KEY": _kept_secret(secrets_dir / "audit"),
        "PANTAU_ACCESS_TOKEN_TTL_SECONDS": "7200",
    }
    return env


def _kept_secret(path: Path) -> str:
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def mongo_home() -> Path:
    """The mongo-java-server launcher `pantau services up` built: this checkout's, else the services'."""
    for home in (LocalPaths.from_env().root / "mongo", env_file().parent / "mongo"):
        if (home / "classes" / "PantauMongo.class").is_file():
            return home
    raise DrillFailed("no built MongoDB stand-in (run `pantau services up` once in some checkout)")


def mongo_node(logs: Path, heap: str) -> Node:
    """The in-memory MongoDB stand-in on its own port: seeded at every run (its data dies with it)."""
    home = mongo_home()
    classpath = f"{home / 'classes'}:{home / 'lib'}/*"
    argv = ["java", f"-Xmx{heap}", "-cp", classpath, "PantauMongo", HOST, str(MONGO_PORT), "memory"]
    launch = Launch(argv=argv, env=dict(os.environ), cwd=logs)
    return Node("mongo", launch, lambda: _mongo_answers(mongo_url()), logs, start_timeout=60)


def mongo_url() -> str:
    return f"mongodb://{HOST}:{MONGO_PORT}"


def _mongo_answers(url: str) -> bool:
    client: MongoClient[dict[str, Any]]
    try:
        with MongoClient(url, serverSelectionTimeoutMS=1000) as client:
            client.admin.command("ping")
        return True
    except PyMongoError:
        return False


def api_ports(count: int) -> list[int]:
    return [API_BASE_PORT + index for index in range(count)]


def app_nodes(env: dict[str, str], logs: Path, apis: int) -> list[Node]:
    """The API processes, one worker per queue group (concurrency 1: the machine has two cores), the
    scheduler."""
    nodes = [api_node(env, logs, index, port) for index, port in enumerate(api_ports(apis))]
    nodes += [worker_node(env, logs, group, 0) for group in QUEUE_GROUPS]
    return [*nodes, scheduler_node(env, logs)]
