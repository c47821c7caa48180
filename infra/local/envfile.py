"""The `services.env` file the app's settings read, and detection of services provided from outside.

Pure functions only (no files, no processes), so they are tested directly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from infra.local.versions import (
    ES_HTTP_PORT,
    HOST,
    MINIO_PORT,
    MONGO_PORT,
    MONGO_TEST_PORT,
    REDIS_PORT,
    SEAWEEDFS_S3_PORT,
)

HEADER = "# Written by `pantau services up` (infra/local); edits to these keys are overwritten."

# The address values the manager writes for its own services.
LOCAL_ADDRESSES: dict[str, str] = {
    "PANTAU_MONGO_URL": f"mongodb://{HOST}:{MONGO_PORT}",
    "PANTAU_TEST_MONGO_URL": f"mongodb://{HOST}:{MONGO_TEST_PORT}",
    "PANTAU_MINIO_ENDPOINT": f"{HOST}:{MINIO_PORT}",
    "PANTAU_ES_URL": f"http://{HOST}:{ES_HTTP_PORT}",
    "PANTAU_REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
    # The second object store (S3 API of SeaweedFS): the storage tests run against it as well as MinIO.
    "PANTAU_SEAWEEDFS_ENDPOINT": f"{HOST}:{SEAWEEDFS_S3_PORT}",
}

# A service is external when this variable is set in the process environment to anything other than
# the value the manager itself writes (a sourced services.env does not make a local service external).
EXTERNAL_TRIGGER: dict[str, str] = {
    "mongo": "PANTAU_MONGO_URL",
    "mongo-test": "PANTAU_MONGO_URL",
    "minio": "PANTAU_MINIO_ENDPOINT",
    "elasticsearch": "PANTAU_ES_URL",
    "redis": "PANTAU_REDIS_URL",
    "seaweedfs": "PANTAU_SEAWEEDFS_ENDPOINT",
}

# Every key a service may write; keys of external services are removed from the file.
SERVICE_KEYS: dict[str, tuple[str, ...]] = {
    "mongo": ("PANTAU_MONGO_URL",),
    "mongo-test": ("PANTAU_TEST_MONGO_URL",),
    "minio": ("PANTAU_MINIO_ENDPOINT", "PANTAU_MINIO_ACCESS_KEY", "PANTAU_MINIO_SECRET_KEY"),
    "elasticsearch": ("PANTAU_ES_URL", "PANTAU_ES_USERNAME", "PANTAU_ES_PASSWORD"),
    "redis": ("PANTAU_REDIS_URL",),
    "seaweedfs": ("PANTAU_SEAWEEDFS_ENDPOINT", "PANTAU_SEAWEEDFS_ACCESS_KEY", "PANTAU_SEAWEEDFS_SECRET_KEY"),
}
MANAGED_KEYS: tuple[str, ...] = tuple(key for keys in SERVICE_KEYS.values() for key in keys)

_KEY = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")
_SAFE = re.compile(r"^[A-Za-z0-9_./:@%+,-]*$")


def detect_external(environ: Mapping[str, str], names: Iterable[str] | None = None) -> dict[str, str]:
    """{service: url} for the services the environment points elsewhere."""
    external = {}
    for name in names if names is not None else EXTERNAL_TRIGGER:
        key = EXTERNAL_TRIGGER[name]
        value = environ.get(key, "")
        if value and value != LOCAL_ADDRESSES[key]:
            external[name] = value
    return external


def quote(value: str) -> str:
    if _SAFE.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def render_env(values: Mapping[str, str]) -> str:
    """`KEY=value` lines, in the given order."""
    for key in values:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ValueError(f"not an environment variable name: {key!r}")
    return "".join(f"{key}={quote(value)}\n" for key, value in values.items())


def line_key(line: str) -> str | None:
    found = _KEY.match(line)
    return found.group(1) if found else None


def merge_env(existing: str, values: Mapping[str, str], managed: Iterable[str] = MANAGED_KEYS) -> str:
    """The new file: our header and values first, then every line of `existing` that does not set a
    managed key (a person's own additions survive). Merging the result again changes nothing."""
    managed_set = set(managed) | set(values)
    kept = [
        line for line in existing.splitlines() if line.strip() != HEADER and line_key(line) not in managed_set
    ]
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    text = HEADER + "\n" + render_env(values)
    if kept:
        text += "\n" + "\n".join(kept) + "\n"
    return text


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` with mode 0600, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    tmp.chmod(0o600)
    tmp.replace(path)
