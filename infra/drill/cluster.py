"""The drill's throwaway services, on ports and folders of their own (`.local/drill`), nothing shared with the
developers' services but the binaries: three Elasticsearch nodes of one cluster (the integ-test-zip that
infra/local installs, security off, 512 MB heaps), SeaweedFS as a distributed store (a master, three volume
servers, a filer with the S3 gateway; every file written on two volume servers: replication 001) and Redis.
MongoDB is not among the nodes killed: the drill uses a throwaway database of the configured one."""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx

from infra.drill.nodes import Node
from infra.local import es_setup
from infra.local.paths import LocalPaths
from infra.local.process import Launch
from infra.local.redis import ping
from infra.local.seaweedfs import identities
from infra.local.service import port_open
from infra.local.versions import HOST

ES_NODES = 3
ES_HTTP = 9251  # 9251..9253
ES_TRANSPORT = 9351
ES_HEAP = "-Xms512m -Xmx512m"
ES_CLUSTER = "pantau-drill"
WEED_MASTER = 9661
WEED_VOLUMES = (9671, 9672, 9673)
WEED_FILER = 9681
S3_PORT = 9660
GRPC = 10000  # SeaweedFS finds a peer's gRPC port at its HTTP port + 10000
REPLICATION = "001"  # one more copy on another volume server
REDIS_PORT = 6491
S3_ACCESS = "drill-access"
S3_SECRET = secrets.token_urlsafe(24)  # a fresh one each run


def es_url(index: int) -> str:
    return f"http://{HOST}:{ES_HTTP + index}"


def es_config(index: int, data: Path, logs: Path) -> str:
    settings: dict[str, object] = {
        "cluster.name": ES_CLUSTER,
        "node.name": f"drill-es-{index + 1}",
        "network.host": HOST,
        "http.port": ES_HTTP + index,
        "transport.port": ES_TRANSPORT + index,
        "discovery.seed_hosts": [f"{HOST}:{ES_TRANSPORT + i}" for i in range(ES_NODES)],
        "cluster.initial_master_nodes": [f"drill-es-{i + 1}" for i in range(ES_NODES)],
        "path.data": str(data),
        "path.logs": str(logs),
        "cluster.routing.allocation.disk.threshold_enabled": False,
        "action.destructive_requires_name": False,
        "xpack.security.enabled": False,
    }
    return "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items())


def es_answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/_cluster/health", params={"timeout": "1s"}, timeout=5.0).status_code == 200
    except httpx.HTTPError:
        return False


def http_answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=3.0).status_code < 500
    except httpx.HTTPError:
        return False


@dataclass(frozen=True)
class Binaries:
    es_home: Path
    weed: Path

    @classmethod
    def find(cls) -> Binaries:
        """PANTAU_DRILL_ES_HOME and PANTAU_DRILL_WEED, else what `pantau services up` installed in
        `.local`."""
        local = LocalPaths.from_env()
        home = Path(os.environ.get("PANTAU_DRILL_ES_HOME") or es_setup.EsLayout(local).home)
        weed = Path(os.environ.get("PANTAU_DRILL_WEED") or local.bin / "weed")
        if not (home / "bin" / "elasticsearch").is_file():
            raise RuntimeError(
                f"no Elasticsearch at {home}: run `pantau services up` or set PANTAU_DRILL_ES_HOME"
            )
        if not weed.is_file():
            raise RuntimeError(
                f"no SeaweedFS binary at {weed}: run `pantau services up` or set PANTAU_DRILL_WEED"
            )
        return cls(home, weed)


class Cluster:
    """Builds the nodes; `root` is emptied first (the drill's data is thrown away)."""

    def __init__(self, root: Path, binaries: Binaries) -> None:
        self.root, self.binaries = root, binaries
        self.logs = root / "logs"

    def prepare(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        for folder in (self.root, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o755)  # Elasticsearch runs as another user and must reach its folders
        (self.root / "s3.json").write_text(identities(S3_ACCESS, S3_SECRET))

    def es_node(self, index: int) -> Node:
        base = self.root / f"es-{index + 1}"
        config, data, logs, tmp = (base / name for name in ("config", "data", "logs", "tmp"))
        user = es_setup.run_as_user()
        if not config.exists():
            shutil.copytree(self.binaries.es_home / "config", config)
            for leftover in ("elasticsearch.keystore", "users", "users_roles"):
                (config / leftover).unlink(missing_ok=True)
            (config / "elasticsearch.yml").write_text(es_config(index, data, logs))
            for folder in (data, logs, tmp):
                folder.mkdir(parents=True, exist_ok=True)
            if user is not None:
                es_setup.chown_tree(base, *user)
        layout = _Layout(config, tmp)
        env = es_setup.tool_env(layout, es_setup.find_java_home(os.environ), user)  # type: ignore[arg-type]
        env["ES_JAVA_OPTS"] = ES_HEAP
        launch = Launch(
            argv=[str(self.binaries.es_home / "bin" / "elasticsearch")],
            env=env,
            cwd=tmp,
            user=user[0] if user else None,
            group=user[1] if user else None,
        )
        url = es_url(index)
        return Node(f"es-{index + 1}", launch, lambda: es_answers(url), self.logs, start_timeout=240)

    def _weed(self, name: str, args: list[str], ready: str) -> Node:
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        argv = [str(self.binaries.weed), "-logtostderr=true", *args]
        launch = Launch(argv=argv, env=dict(os.environ), cwd=folder)
        return Node(name, launch, lambda: http_answers(ready), self.logs, start_timeout=60)

    def weed_master(self) -> Node:
        args = ["master", f"-ip={HOST}", f"-ip.bind={HOST}", f"-port={WEED_MASTER}"]
        args += [f"-port.grpc={WEED_MASTER + GRPC}", f"-mdir={self.root / 'weed-master'}"]
        args += [f"-defaultReplication={REPLICATION}", "-volumeSizeLimitMB=64", "-telemetry=false"]
        return self._weed("weed-master", args, f"http://{HOST}:{WEED_MASTER}/cluster/status")

    def weed_volume(self, index: int) -> Node:
        port = WEED_VOLUMES[index]
        name = f"weed-volume-{index + 1}"
        args = ["volume", f"-ip={HOST}", f"-ip.bind={HOST}", f"-port={port}", f"-port.grpc={port + GRPC}"]
        args += [f"-dir={self.root / name}", f"-mserver={HOST}:{WEED_MASTER}", "-max=60", "-preStopSeconds=0"]
        return self._weed(name, args, f"http://{HOST}:{port}/healthz")

    def weed_filer(self) -> Node:
        args = ["filer", f"-ip={HOST}", f"-ip.bind={HOST}", f"-port={WEED_FILER}"]
        args += [f"-port.grpc={WEED_FILER + GRPC}", f"-master={HOST}:{WEED_MASTER}"]
        args += [f"-defaultReplicaPlacement={REPLICATION}", f"-defaultStoreDir={self.root / 'weed-filer'}"]
        args += ["-s3", f"-s3.port={S3_PORT}", f"-s3.port.grpc={S3_PORT + GRPC}", f"-s3.ip.bind={HOST}"]
        args += [f"-s3.config={self.root / 's3.json'}", "-s3.port.iceberg=0", "-s3.port.lance=0"]
        node = self._weed("weed-filer", args, f"http://{HOST}:{WEED_FILER}/")
        node.ready = lambda: http_answers(f"http://{HOST}:{WEED_FILER}/") and port_open(S3_PORT)
        return node

    def redis(self) -> Node:
        folder = self.root / "redis"
        folder.mkdir(parents=True, exist_ok=True)
        argv = ["redis-server", "--bind", HOST, "--port", str(REDIS_PORT), "--dir", str(folder)]
        argv += ["--save", "", "--appendonly", "yes", "--daemonize", "no"]
        launch = Launch(argv=argv, env=dict(os.environ), cwd=folder)
        return Node(
            "redis", launch, lambda: ping(f"redis://{HOST}:{REDIS_PORT}/0"), self.logs, start_timeout=20
        )


@dataclass(frozen=True)
class _Layout:
    """What es_setup.tool_env reads of a layout: the node's own config and temporary folders."""

    config: Path
    tmp: Path
