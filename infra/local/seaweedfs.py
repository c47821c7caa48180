"""SeaweedFS, the second S3-compatible object store (production runs it; storage tests run on it and MinIO).

One `weed server` process runs a master, a volume server, a filer and the S3 gateway on 127.0.0.1, with its
data in `.local/data/seaweedfs` and one S3 identity (generated credentials, kept in `.local/secrets`). The
binary is built from the pinned Go module into `.local/bin/weed` (see `build`): `go install` refuses the
module because its go.mod has replace directives.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import httpx
import urllib3
from minio import Minio

from infra.local.credentials import prefixed, stored_secret, token
from infra.local.envfile import LOCAL_ADDRESSES, write_private
from infra.local.paths import LocalPaths
from infra.local.process import Launch, run_checked
from infra.local.service import Say, Service, digest
from infra.local.versions import (
    HOST,
    SEAWEEDFS_FILER_PORT,
    SEAWEEDFS_GRPC_OFFSET,
    SEAWEEDFS_MASTER_PORT,
    SEAWEEDFS_MODULE,
    SEAWEEDFS_S3_PORT,
    SEAWEEDFS_VERSION,
    SEAWEEDFS_VOLUME_PORT,
)

HTTP_PORTS = (SEAWEEDFS_S3_PORT, SEAWEEDFS_MASTER_PORT, SEAWEEDFS_VOLUME_PORT, SEAWEEDFS_FILER_PORT)
# Every S3 bucket is a SeaweedFS collection that gets volumes of its own on its first write (7 by default),
# and each test session makes a bucket: many small volumes rather than the default 8 of 30 GB. Volumes are
# not preallocated, so the limit costs no disk until data arrives.
VOLUME_SIZE_MB = 256
MAX_VOLUMES = 200
# A Unix socket path must stay under 108 bytes; longer `.local` paths leave the socket in SeaweedFS's default.
SOCKET_PATH_LIMIT = 100


def grpc(port: int) -> int:
    return port + SEAWEEDFS_GRPC_OFFSET


def identities(access_key: str, secret_key: str) -> str:
    """The `-s3.config` file: one identity allowed everything (tests make and remove a bucket per session)."""
    identity = {
        "name": "pantau",
        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
        "actions": ["Admin", "Read", "List", "Tagging", "Write"],
    }
    return json.dumps({"identities": [identity]}, indent=2) + "\n"


def server_argv(binary: Path, paths: LocalPaths, config: Path) -> list[str]:
    """`weed server` with every listener on loopback, on the pinned ports, telemetry off."""
    data = paths.data("seaweedfs")
    argv = [
        str(binary),
        "-logtostderr=true",  # glog would otherwise write its files to /tmp
        "server",
        f"-dir={data}",
        f"-ip={HOST}",
        f"-ip.bind={HOST}",
        f"-master.port={SEAWEEDFS_MASTER_PORT}",
        f"-master.port.grpc={grpc(SEAWEEDFS_MASTER_PORT)}",
        "-master.telemetry=false",
        f"-master.volumeSizeLimitMB={VOLUME_SIZE_MB}",
        f"-volume.port={SEAWEEDFS_VOLUME_PORT}",
        f"-volume.port.grpc={grpc(SEAWEEDFS_VOLUME_PORT)}",
        f"-volume.max={MAX_VOLUMES}",
        "-volume.preStopSeconds=0",  # it would wait 10 s after SIGTERM for a load balancer to notice
        "-filer",
        f"-filer.port={SEAWEEDFS_FILER_PORT}",
        f"-filer.port.grpc={grpc(SEAWEEDFS_FILER_PORT)}",
        "-s3",
        f"-s3.port={SEAWEEDFS_S3_PORT}",
        f"-s3.port.grpc={grpc(SEAWEEDFS_S3_PORT)}",
        f"-s3.config={config}",
        "-s3.port.iceberg=0",  # no Iceberg catalog and no Lance namespace server
        "-s3.port.lance=0",
    ]
    for name in ("filer", "s3"):
        socket = paths.run / f"seaweedfs-{name}.sock"
        if len(str(socket)) < SOCKET_PATH_LIMIT:
            argv.append(f"-{name}.localSocket={socket}")
    return argv


def build(paths: LocalPaths, log_path: Path, say: Say) -> None:
    """Download the pinned module, copy it somewhere writable (the module cache is read-only) and build `weed`
    there into `.local/bin`; the copy is removed afterwards, the Go caches keep what a rebuild can reuse."""
    if shutil.which("go") is None:
        raise RuntimeError("go is not on PATH; run infra/bootstrap.sh")
    say(f"building SeaweedFS {SEAWEEDFS_VERSION} with go build (~6 minutes on 2 idle cores)")
    paths.tmp.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        found = subprocess.run(
            ["go", "mod", "download", "-json", f"{SEAWEEDFS_MODULE}@{SEAWEEDFS_VERSION}"],
            stdout=subprocess.PIPE,
            stderr=log,
            cwd=paths.tmp,  # outside any Go module
            check=False,
        )
    module = json.loads(found.stdout or b"{}")
    if found.returncode != 0 or not module.get("Dir"):
        raise RuntimeError(
            f"go mod download failed: {module.get('Error') or found.returncode} (see {log_path})"
        )
    source = paths.tmp / f"seaweedfs-{SEAWEEDFS_VERSION}"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(module["Dir"], source, symlinks=True)
    for folder, _, files in os.walk(source):
        for name in (folder, *(os.path.join(folder, file) for file in files)):
            os.chmod(name, os.stat(name).st_mode | 0o200)
    partial = paths.bin / "weed.partial"
    paths.bin.mkdir(parents=True, exist_ok=True)
    # -buildvcs=false: `.local` may sit inside a git checkout, which is not the module's repository. No debug
    # information (-s -w): a smaller binary, a shorter link. At a lower priority, because `make test` runs it
    # beside the MinIO build and the test run, which should not wait for it (infra/test.sh).
    argv = ["go", "build", "-buildvcs=false", "-trimpath", "-ldflags=-s -w", "-o", str(partial), "./weed"]
    if shutil.which("nice"):
        argv = ["nice", "-n", "10", *argv]
    run_checked(argv, log_path=log_path, cwd=source)
    partial.replace(paths.bin / "weed")
    (paths.bin / "weed.version").write_text(SEAWEEDFS_VERSION + "\n")
    shutil.rmtree(source, ignore_errors=True)
    say("SeaweedFS built")


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


class SeaweedfsService(Service):
    name = "seaweedfs"
    port = SEAWEEDFS_S3_PORT
    extra_ports = (*HTTP_PORTS[1:], *(grpc(port) for port in HTTP_PORTS))
    start_timeout = 60.0
    # After SIGTERM it was seen to stop in 2 s, and to hang on (the master retrying to grow volumes after the
    # volume server had stopped, the filer with deletions queued): SIGKILL after 10 s.
    stop_timeout = 10.0

    @property
    def address(self) -> str:
        return LOCAL_ADDRESSES["PANTAU_SEAWEEDFS_ENDPOINT"]

    @property
    def binary(self) -> Path:
        return self.paths.bin / "weed"

    @property
    def config_file(self) -> Path:
        return self.paths.secrets / "seaweedfs-s3.json"

    def credentials(self) -> tuple[str, str]:
        access = stored_secret(self.paths.secrets, "seaweedfs-access-key", prefixed("pantau", 6))
        secret = stored_secret(self.paths.secrets, "seaweedfs-secret-key", token(24))
        return access, secret

    def prepare(self, say: Say) -> None:
        stamp = self.paths.bin / "weed.version"
        built = stamp.read_text().strip() if stamp.is_file() else ""
        if not (self.binary.is_file() and built == SEAWEEDFS_VERSION):
            build(self.paths, self.log_path, say)
        self.paths.data(self.name).mkdir(parents=True, exist_ok=True)
        write_private(self.config_file, identities(*self.credentials()))

    def fingerprint(self) -> str:
        return digest(SEAWEEDFS_VERSION, *self.launch().argv, identities(*self.credentials()))

    def launch(self) -> Launch:
        argv = server_argv(self.binary, self.paths, self.config_file)
        return Launch(argv=argv, env=dict(os.environ), cwd=self.paths.data(self.name))

    def signature(self) -> list[str]:
        return [f"{self.binary} ", "server", f"-s3.port={SEAWEEDFS_S3_PORT}"]

    def healthy(self) -> bool:
        """The volume server has joined the master, and the S3 gateway answers a signed request (which needs
        the filer): then a bucket can be made and written to."""
        if not answers(f"http://{HOST}:{SEAWEEDFS_VOLUME_PORT}/healthz"):
            return False
        access, secret = self.credentials()
        http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2.0, read=5.0), retries=False)
        client = Minio(self.address, access_key=access, secret_key=secret, secure=False, http_client=http)
        try:
            client.list_buckets()
        except Exception:  # any answer but a list (not yet connected to the filer, refused, timed out)
            return False
        finally:
            http.clear()
        return True

    def env_values(self) -> dict[str, str]:
        access, secret = self.credentials()
        return {
            "PANTAU_SEAWEEDFS_ENDPOINT": self.address,
            "PANTAU_SEAWEEDFS_ACCESS_KEY": access,
            "PANTAU_SEAWEEDFS_SECRET_KEY": secret,
        }

    def check_external(self, url: str, environ: Mapping[str, str]) -> bool:
        return answers(f"http://{url}/healthz")
