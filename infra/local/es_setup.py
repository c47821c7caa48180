"""Installing and configuring the local Elasticsearch: download, unpack, JDK, run-as user, config, keystore.

The Maven Central `integ-test-zip` distribution has no bundled JDK and only the core modules
(transport-netty4, x-pack-core, x-pack-security, apm): no analysis-common, painless or reindex.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import re
import shutil
import stat
import subprocess
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from infra.local.paths import LocalPaths
from infra.local.process import run_checked
from infra.local.versions import (
    ELASTICSEARCH_ARTIFACT,
    ELASTICSEARCH_VERSION,
    ES_CLUSTER,
    ES_HTTP_PORT,
    ES_TRANSPORT_PORT,
    ES_USER,
    HOST,
)

JAVA_HOME_ENV = "PANTAU_LOCAL_ES_JAVA_HOME"
SECURITY_ENV = "PANTAU_LOCAL_ES_SECURITY"
JVM_ROOT = Path("/usr/lib/jvm")


def security_enabled(environ: Mapping[str, str]) -> bool:
    return environ.get(SECURITY_ENV, "true").strip().lower() not in ("false", "0", "no", "off")


def find_java_home(environ: Mapping[str, str], jvm_root: Path = JVM_ROOT) -> Path:
    """`PANTAU_LOCAL_ES_JAVA_HOME`, else the newest `/usr/lib/jvm/temurin-*`."""
    override = environ.get(JAVA_HOME_ENV)
    if override:
        home = Path(override)
        if not (home / "bin" / "java").exists():
            raise RuntimeError(f"{JAVA_HOME_ENV}={override} has no bin/java")
        return home

    def version(path: Path) -> int:
        found = re.match(r"temurin-(\d+)", path.name)
        return int(found.group(1)) if found else -1

    candidates = sorted(
        (p for p in jvm_root.glob("temurin-*") if (p / "bin" / "java").exists()), key=version, reverse=True
    )
    if not candidates:
        raise RuntimeError(f"no Temurin JDK under {jvm_root}/temurin-*; set {JAVA_HOME_ENV} to a JDK 21+")
    return candidates[0]


@dataclass(frozen=True)
class EsLayout:
    paths: LocalPaths

    @property
    def home(self) -> Path:
        return self.paths.root / f"elasticsearch-{ELASTICSEARCH_VERSION}"

    @property
    def config(self) -> Path:
        return self.home / "config"

    @property
    def data(self) -> Path:
        return self.paths.data("elasticsearch")

    @property
    def logs(self) -> Path:
        return self.paths.logs / "elasticsearch"

    @property
    def tmp(self) -> Path:
        return self.paths.tmp / "elasticsearch"

    @property
    def archive(self) -> Path:
        return self.paths.downloads / f"elasticsearch-{ELASTICSEARCH_VERSION}.zip"


def download(layout: EsLayout, log_path: Path) -> Path:
    if layout.archive.is_file():
        return layout.archive
    if shutil.which("mvn") is None:
        raise RuntimeError("mvn (Maven) is not on PATH; run infra/bootstrap.sh")
    layout.archive.parent.mkdir(parents=True, exist_ok=True)
    run_checked(
        [
            "mvn", "-q", "-B", "dependency:copy",
            f"-Dartifact={ELASTICSEARCH_ARTIFACT}",
            f"-DoutputDirectory={layout.archive.parent}",
        ],
        log_path=log_path,
        cwd=layout.archive.parent,
    )  # fmt: skip
    if not layout.archive.is_file():
        raise RuntimeError(f"Maven finished but {layout.archive} is missing")
    return layout.archive


def extract(archive: Path, home: Path) -> None:
    """Unpack (keeping the executable bits) into a scratch folder, then move it into place."""
    scratch = home.with_name(home.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    with zipfile.ZipFile(archive) as bundle:
        for info in bundle.infolist():
            target = (scratch / info.filename).resolve()
            if not target.is_relative_to(scratch.resolve()):
                raise RuntimeError(f"unsafe path in {archive}: {info.filename}")
            bundle.extract(info, scratch)
            mode = (info.external_attr >> 16) & 0o777
            if mode and not info.is_dir():
                target.chmod(mode)
    top = scratch / home.name
    if not (top / "bin" / "elasticsearch").is_file():
        raise RuntimeError(f"{archive} does not contain {home.name}/bin/elasticsearch")
    top.replace(home)
    shutil.rmtree(scratch, ignore_errors=True)


def run_as_user() -> tuple[int, int] | None:
    """(uid, gid) of the dedicated user when we are root (created if missing); None otherwise."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(ES_USER)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        subprocess.run(
            [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_USER],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(ES_USER)
    return entry.pw_uid, entry.pw_gid


def unreachable_ancestor(path: Path) -> Path | None:
    """The first folder above `path` that another (non-root) user cannot traverse."""
    for folder in reversed(path.resolve().parents):
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def chown_tree(root: Path, uid: int, gid: int) -> None:
    os.chown(root, uid, gid, follow_symlinks=False)
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if info.st_uid != uid or info.st_gid != gid:
                os.chown(path, uid, gid, follow_symlinks=False)


def render_config(layout: EsLayout, security: bool) -> str:
    """elasticsearch.yml (paths as JSON strings, which YAML reads unchanged)."""
    settings: dict[str, object] = {
        "cluster.name": ES_CLUSTER,
        "node.name": f"{ES_CLUSTER}-1",
        "network.host": HOST,
        "http.port": ES_HTTP_PORT,
        "transport.port": ES_TRANSPORT_PORT,
        "discovery.type": "single-node",
        "path.data": str(layout.data),
        "path.logs": str(layout.logs),
        "cluster.routing.allocation.disk.threshold_enabled": False,
        "action.destructive_requires_name": False,
        "xpack.security.enabled": security,
    }
    if security:
        settings["xpack.security.http.ssl.enabled"] = False
        settings["xpack.security.transport.ssl.enabled"] = False
    lines = ["# Written by infra/local on every start; edit infra/local/es_setup.py instead."]
    lines += [f"{key}: {json.dumps(value)}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def tool_env(layout: EsLayout, java_home: Path, user: tuple[int, int] | None) -> dict[str, str]:
    env = {
        **os.environ,
        "ES_JAVA_HOME": str(java_home),
        "ES_PATH_CONF": str(layout.config),
        "ES_TMPDIR": str(layout.tmp),
    }
    env.pop("JAVA_HOME", None)
    if user is not None:
        env["HOME"] = str(layout.tmp)
        env["USER"] = env["LOGNAME"] = ES_USER
    return env


def ensure_bootstrap_password(
    layout: EsLayout, password: str, env: Mapping[str, str], user: tuple[int, int] | None, log_path: Path
) -> None:
    """Store `bootstrap.password` (the `elastic` user's password until one is set in the security index)
    in the keystore, unless it is already the stored one."""
    keystore = layout.config / "elasticsearch.keystore"
    stamp = layout.config / ".pantau-bootstrap-password.sha256"
    digest = hashlib.sha256(password.encode()).hexdigest()
    if keystore.is_file() and stamp.is_file() and stamp.read_text().strip() == digest:
        return
    argv = [str(layout.home / "bin" / "elasticsearch-keystore"), "add", "-x", "-f", "bootstrap.password"]
    extra: dict[str, object] = {}
    if user is not None:
        extra = {"user": user[0], "group": user[1], "extra_groups": []}
    with log_path.open("ab") as log:
        log.write(b"\n=== keystore: add bootstrap.password\n")
        log.flush()
        result = subprocess.run(  # type: ignore[call-overload]
            argv,
            input=password.encode(),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env),
            cwd=layout.tmp,
            check=False,
            **extra,
        )
    if result.returncode != 0 or not keystore.is_file():
        raise RuntimeError(f"elasticsearch-keystore failed (exit {result.returncode}); see {log_path}")
    stamp.write_text(digest + "\n")
    if user is not None:
        os.chown(stamp, *user)
