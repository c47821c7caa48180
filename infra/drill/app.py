"""The drill's application processes, run with the `pantau` commands an operator runs: two API processes
behind one address (infra.drill.proxy), two workers for each queue group (ingest, index, periodic), the
scheduler. Their settings are PANTAU_* variables naming the drill's services (infra.drill.cluster)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import httpx

from infra.drill.cluster import ES_NODES, REDIS_PORT, S3_ACCESS, S3_PORT, S3_SECRET, es_url
from infra.drill.nodes import DrillFailed, Node
from infra.local.process import Launch
from infra.local.versions import HOST

API_PORTS = (8711, 8712)
PROXY_PORT = 8710
QUEUE_GROUPS = ("ingest", "index", "periodic")
WORKERS_PER_GROUP = 2
PANTAU = str(Path(sys.executable).parent / "pantau")
ROOT = Path(__file__).resolve().parents[2]


def app_env(root: Path, mongo_url: str, database: str) -> dict[str, str]:
    """Every process of the drill's app gets these (and nothing of a developer's `services.env`)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PANTAU_")}
    env |= {
        "PANTAU_ENV_FILE": "/nonexistent",
        "PANTAU_LOCAL_DIR": str(root / "app"),
        "PANTAU_MONGO_URL": mongo_url,
        "PANTAU_MONGO_DATABASE": database,
        "PANTAU_MINIO_ENDPOINT": f"{HOST}:{S3_PORT}",
        "PANTAU_MINIO_ACCESS_KEY": S3_ACCESS,
        "PANTAU_MINIO_SECRET_KEY": S3_SECRET,
        "PANTAU_MINIO_BUCKET": "pantau-drill",
        "PANTAU_ES_URL": es_url(0),
        "PANTAU_ES_NODES": ",".join(es_url(i) for i in range(1, ES_NODES)),
        "PANTAU_ES_INDEX_PREFIX": "drill",
        "PANTAU_ES_REPLICAS": "1",  # every shard on two of the three nodes
        "PANTAU_REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
        "PANTAU_CELERY_QUEUE": "drill",
        "PANTAU_JWT_SECRET": secrets.token_urlsafe(32),
        "PANTAU_AUDIT_KEY": secrets.token_urlsafe(32),
        # A document a killed worker left unextracted is picked up by the sweep (after 2 minutes unchanged).
        "PANTAU_SWEEP_INTERVAL_SECONDS": "10",
        "PANTAU_TASK_TIME_LIMIT_SECONDS": "120",
        "PANTAU_COST_BUDGET_PER_WINDOW": "0",
        "PANTAU_ACCESS_TOKEN_TTL_SECONDS": "7200",
        "PANTAU_PORT": str(API_PORTS[0]),
    }
    return env


def pantau(env: dict[str, str], *args: str, allowed: tuple[int, ...] = (0,), timeout: float = 600) -> str:
    """The output of a one-off `pantau` command of the drill's app; DrillFailed when it exits otherwise than
    `allowed`."""
    done = subprocess.run(
        [PANTAU, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode not in allowed:
        raise DrillFailed(f"pantau {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def _ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=3.0).status_code == 200
    except httpx.HTTPError:
        return False


def api_node(env: dict[str, str], logs: Path, index: int, port: int | None = None) -> Node:
    """The `index`th API process, on `port` (default: the drill's ports, API_PORTS)."""
    port = API_PORTS[index] if port is None else port
    launch = Launch(argv=[PANTAU, "serve", "--host", HOST, "--port", str(port)], env=env, cwd=ROOT)
    return Node(f"api-{index + 1}", launch, lambda: _ready(f"http://{HOST}:{port}/healthz"), logs, 90)


def proxy_node(env: dict[str, str], logs: Path) -> Node:
    argv = [sys.executable, "-m", "infra.drill.proxy", str(PROXY_PORT), *map(str, API_PORTS)]
    launch = Launch(argv=argv, env=env, cwd=ROOT)
    return Node("proxy", launch, lambda: _ready(f"http://{HOST}:{PROXY_PORT}/healthz"), logs, 30)


def worker_node(env: dict[str, str], logs: Path, group: str, index: int) -> Node:
    argv = [PANTAU, "worker", "--queues", group, "--concurrency", "1"]
    launch = Launch(argv=argv, env=env, cwd=ROOT)
    name = f"worker-{group}-{index + 1}"
    node = Node(name, launch, lambda: False, logs, 90)
    # Ready once Celery says so in its log (it connects to Redis and declares its queue first).
    node.ready = lambda: " ready." in node.log_since_start()
    return node


def scheduler_node(env: dict[str, str], logs: Path) -> Node:
    launch = Launch(argv=[PANTAU, "scheduler"], env=env, cwd=ROOT)
    node = Node("scheduler", launch, lambda: False, logs, 90)
    node.ready = lambda: "scheduler: active" in node.log_since_start()
    return node


def app_nodes(env: dict[str, str], logs: Path) -> list[Node]:
    nodes = [api_node(env, logs, i) for i in range(len(API_PORTS))]
    nodes += [worker_node(env, logs, g, i) for g in QUEUE_GROUPS for i in range(WORKERS_PER_GROUP)]
    return [*nodes, scheduler_node(env, logs), proxy_node(env, logs)]
