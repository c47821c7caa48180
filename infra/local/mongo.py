"""MongoDB-protocol servers (mongo-java-server through infra/mongo/PantauMongo.java).

`mongo` keeps its data in an H2 file (survives restarts); `mongo-test` is in memory, for test runs.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Mapping
from pathlib import Path

from infra.local.envfile import LOCAL_ADDRESSES
from infra.local.paths import LocalPaths, repo_file
from infra.local.process import Launch, file_lock, run_checked
from infra.local.service import Say, Service, digest
from infra.local.versions import HOST, MONGO_HEAP, MONGO_LAUNCHER, MONGO_POM, MONGO_PORT, MONGO_TEST_PORT

# mongo and mongo-test share one build: a thread lock for both in one manager, a file lock across managers.
_build_lock = threading.Lock()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def build_launcher(paths: LocalPaths, say: Say, log_path: Path) -> tuple[Path, Path]:
    """Resolve the pinned jars and compile the launcher, each only when its inputs are newer."""
    home = paths.root / "mongo"
    lib, classes = home / "lib", home / "classes"
    pom, source = repo_file(MONGO_POM), repo_file(MONGO_LAUNCHER)
    jars_stamp, class_file = lib / ".resolved", classes / "PantauMongo.class"
    with _build_lock, file_lock(paths.run / "mongo-build.lock"):
        if _mtime(jars_stamp) <= _mtime(pom):
            if shutil.which("mvn") is None:
                raise RuntimeError("mvn (Maven) is not on PATH; run infra/bootstrap.sh")
            say("resolving the mongo-java-server jars with Maven")
            shutil.rmtree(lib, ignore_errors=True)
            lib.mkdir(parents=True)
            resolve = ["mvn", "-q", "-B", "-f", str(pom), "dependency:copy-dependencies"]
            run_checked([*resolve, f"-DoutputDirectory={lib}"], log_path=log_path)
            jars_stamp.touch()
        if _mtime(class_file) <= max(_mtime(source), _mtime(jars_stamp)):
            if shutil.which("javac") is None:
                raise RuntimeError("javac (a JDK) is not on PATH; run infra/bootstrap.sh")
            say("compiling PantauMongo.java")
            shutil.rmtree(classes, ignore_errors=True)
            classes.mkdir(parents=True)
            run_checked(["javac", "-d", str(classes), "-cp", f"{lib}/*", str(source)], log_path=log_path)
    return classes, lib


def ping(url: str, timeout_ms: int = 1500) -> bool:
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError

    client: MongoClient[dict[str, object]] = MongoClient(
        url, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms, socketTimeoutMS=timeout_ms
    )
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


class _MongoBase(Service):
    env_key: str
    start_timeout = 60.0

    @property
    def address(self) -> str:
        return LOCAL_ADDRESSES[self.env_key]

    def backend(self) -> str:
        raise NotImplementedError

    def prepare(self, say: Say) -> None:
        build_launcher(self.paths, say, self.log_path)

    def fingerprint(self) -> str:
        pom, source = repo_file(MONGO_POM), repo_file(MONGO_LAUNCHER)
        return digest(pom.read_bytes(), source.read_bytes(), MONGO_HEAP)

    def launch(self) -> Launch:
        home = self.paths.root / "mongo"
        classpath = f"{home / 'classes'}:{home / 'lib'}/*"
        argv = ["java", MONGO_HEAP, "-cp", classpath, "PantauMongo", HOST, str(self.port), self.backend()]
        return Launch(argv=argv, env=dict(os.environ), cwd=self.paths.root)

    def signature(self) -> list[str]:
        classes = self.paths.root / "mongo" / "classes"
        return [str(classes), f"PantauMongo {HOST} {self.port} {self.backend()}"]

    def healthy(self) -> bool:
        return ping(self.address)

    def env_values(self) -> dict[str, str]:
        return {self.env_key: self.address}

    def check_external(self, url: str, environ: Mapping[str, str]) -> bool:
        return ping(url)


class MongoService(_MongoBase):
    name = "mongo"
    port = MONGO_PORT
    env_key = "PANTAU_MONGO_URL"

    def backend(self) -> str:
        return str(self.paths.data(self.name) / "pantau.mv")

    def prepare(self, say: Say) -> None:
        self.paths.data(self.name).mkdir(parents=True, exist_ok=True)
        super().prepare(say)


class MongoTestService(_MongoBase):
    name = "mongo-test"
    port = MONGO_TEST_PORT
    env_key = "PANTAU_TEST_MONGO_URL"

    def backend(self) -> str:
        return "memory"
