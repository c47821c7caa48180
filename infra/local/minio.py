"""MinIO object storage, built from its pinned Go module version into `.local/bin/minio`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import httpx

from infra.local.credentials import prefixed, stored_secret, token
from infra.local.envfile import LOCAL_ADDRESSES
from infra.local.process import Launch, run_checked
from infra.local.service import Say, Service
from infra.local.versions import HOST, MINIO_CONSOLE_PORT, MINIO_MODULE, MINIO_PORT, MINIO_VERSION


def live(endpoint: str, secure: bool = False) -> bool:
    scheme = "https" if secure else "http"
    try:
        return httpx.get(f"{scheme}://{endpoint}/minio/health/live", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


class MinioService(Service):
    name = "minio"
    port = MINIO_PORT
    extra_ports = (MINIO_CONSOLE_PORT,)
    start_timeout = 60.0

    @property
    def address(self) -> str:
        return LOCAL_ADDRESSES["PANTAU_MINIO_ENDPOINT"]

    @property
    def binary(self) -> Path:
        return self.paths.bin / "minio"

    def credentials(self) -> tuple[str, str]:
        user = stored_secret(self.paths.secrets, "minio-root-user", prefixed("pantau", 6))
        password = stored_secret(self.paths.secrets, "minio-root-password", token(24))
        return user, password

    def prepare(self, say: Say) -> None:
        stamp = self.paths.bin / "minio.version"
        built = stamp.read_text().strip() if stamp.is_file() else ""
        if not (self.binary.is_file() and built == MINIO_VERSION):
            if shutil.which("go") is None:
                raise RuntimeError("go is not on PATH; run infra/bootstrap.sh")
            say(f"building minio {MINIO_VERSION} with go install (the first build takes ~4 minutes)")
            self.paths.bin.mkdir(parents=True, exist_ok=True)
            env = {**os.environ, "GOBIN": str(self.paths.bin)}
            run_checked(["go", "install", f"{MINIO_MODULE}@{MINIO_VERSION}"], log_path=self.log_path, env=env)
            stamp.write_text(MINIO_VERSION + "\n")
            say("minio built")
        self.paths.data(self.name).mkdir(parents=True, exist_ok=True)
        self.credentials()

    def fingerprint(self) -> str:
        return MINIO_VERSION

    def launch(self) -> Launch:
        user, password = self.credentials()
        argv = [
            str(self.binary),
            "server",
            str(self.paths.data(self.name)),
            "--address",
            f"{HOST}:{MINIO_PORT}",
            "--console-address",
            f"{HOST}:{MINIO_CONSOLE_PORT}",
        ]
        env = {**os.environ, "MINIO_ROOT_USER": user, "MINIO_ROOT_PASSWORD": password}
        return Launch(argv=argv, env=env, cwd=self.paths.data(self.name))

    def signature(self) -> list[str]:
        return [f"{self.binary} server", f"--address {HOST}:{MINIO_PORT}"]

    def healthy(self) -> bool:
        return live(self.address)

    def env_values(self) -> dict[str, str]:
        user, password = self.credentials()
        return {
            "PANTAU_MINIO_ENDPOINT": self.address,
            "PANTAU_MINIO_ACCESS_KEY": user,
            "PANTAU_MINIO_SECRET_KEY": password,
        }

    def check_external(self, url: str, environ: Mapping[str, str]) -> bool:
        secure = environ.get("PANTAU_MINIO_SECURE", "").lower() in ("1", "true", "yes", "on")
        return live(url, secure)
