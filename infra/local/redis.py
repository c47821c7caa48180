"""Redis (the Celery broker), from the Debian `redis-server` package, run in the foreground by us."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

from infra.local.envfile import LOCAL_ADDRESSES
from infra.local.process import Launch
from infra.local.service import Say, Service
from infra.local.versions import HOST, REDIS_PORT


def ping(url: str) -> bool:
    import redis as redis_client

    try:
        client = redis_client.Redis.from_url(url, socket_timeout=1.5, socket_connect_timeout=1.5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis_client.RedisError:
        return False


class RedisService(Service):
    name = "redis"
    port = REDIS_PORT
    start_timeout = 20.0

    @property
    def address(self) -> str:
        return LOCAL_ADDRESSES["PANTAU_REDIS_URL"]

    def prepare(self, say: Say) -> None:
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed; run infra/bootstrap.sh (Debian redis-server)")
        self.paths.data(self.name).mkdir(parents=True, exist_ok=True)

    def launch(self) -> Launch:
        data = str(self.paths.data(self.name))
        argv = ["redis-server", "--bind", HOST, "--port", str(REDIS_PORT), "--dir", data]
        argv += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        return Launch(argv=argv, env=dict(os.environ), cwd=self.paths.data(self.name))

    def signature(self) -> list[str]:
        # redis-server rewrites its argv to "redis-server 127.0.0.1:6390" soon after start; these tokens
        # match both the original argv and the rewritten title
        return ["redis-server", HOST, str(REDIS_PORT)]

    def healthy(self) -> bool:
        return ping(self.address)

    def env_values(self) -> dict[str, str]:
        return {"PANTAU_REDIS_URL": self.address}

    def check_external(self, url: str, environ: Mapping[str, str]) -> bool:
        return ping(url)
