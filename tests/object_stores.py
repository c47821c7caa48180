"""The object stores the storage tests run against: the pinned MinIO and SeaweedFS (production's store).

Every test session runs on the MinIO of the app's settings (`PANTAU_MINIO_*`). The tests of the modules in
`STORE_MODULES` that use the session's services run a second time on SeaweedFS (`PANTAU_SEAWEEDFS_*`, written
to `.local/services.env` by `pantau services up seaweedfs`, or set to an external S3 endpoint). Their
`[seaweedfs]` runs come last: the session's services (database, bucket, index prefix, queue, worker) are then
torn down and set up again with the other store, once, and removed at the end like the first.

`--object-store minio` runs the suite on MinIO only; `--object-store seaweedfs` only the SeaweedFS runs
(`make test` runs the first while SeaweedFS builds, and the second alongside it once SeaweedFS is up, in a
session of its own: infra/test.sh).

How: the session fixture `object_store` is parametrized for those tests only. Its MinIO parameter is `None`,
the value every other test's `object_store` has, so pytest shares one set of session fixtures between the
`[minio]` runs and the rest of the suite instead of building a third.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr

MINIO = "minio"
SEAWEEDFS = "seaweedfs"
STORES = (MINIO, SEAWEEDFS)
ALL = "all"
OPTION = "--object-store"
STORE_MODULES = frozenset(
    {
        "tests.test_documents_storage",
        "tests.test_documents_presigned",
        "tests.test_upload_streaming",
        "tests.test_upload_interrupted",
        "tests.test_storage_client",
        "tests.test_documents_versions",
        "tests.test_documents_trash",
    }
)
START_SEAWEEDFS = "start it with `uv run pantau services up seaweedfs`"
# Settings field ← variable written by infra/local/seaweedfs.py.
SEAWEEDFS_VARIABLES = {
    "minio_endpoint": "PANTAU_SEAWEEDFS_ENDPOINT",
    "minio_access_key": "PANTAU_SEAWEEDFS_ACCESS_KEY",
    "minio_secret_key": "PANTAU_SEAWEEDFS_SECRET_KEY",
}


def store_of(param: str | None) -> str:
    return param or MINIO


def store_overrides(store: str, lookup: Callable[[str], str | None]) -> dict[str, Any]:
    """The settings that point a session at `store` (none for MinIO, the app's own settings)."""
    if store == MINIO:
        return {}
    values = {field: lookup(variable) for field, variable in SEAWEEDFS_VARIABLES.items()}
    missing = [SEAWEEDFS_VARIABLES[field] for field, value in values.items() if not value]
    if missing:
        raise RuntimeError(f"SeaweedFS is not configured ({', '.join(missing)} unset); {START_SEAWEEDFS}")
    return {
        "minio_endpoint": values["minio_endpoint"],
        "minio_access_key": values["minio_access_key"],
        "minio_secret_key": SecretStr(str(values["minio_secret_key"])),
        "minio_secure": False,
        "minio_public_endpoint": None,
    }


def add_option(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        choices=(ALL, *STORES),
        default=ALL,
        help="the storage tests run on MinIO, on SeaweedFS, or on both (default); `seaweedfs`: nothing else",
    )


def parametrize(metafunc: pytest.Metafunc) -> None:
    """Run the store modules' service tests on the chosen stores (see the module docstring)."""
    if metafunc.module.__name__ in STORE_MODULES and "object_store" in metafunc.fixturenames:
        chosen = metafunc.config.getoption(OPTION)
        stores = STORES if chosen == ALL else (chosen,)
        params = [None if store == MINIO else store for store in stores]
        metafunc.parametrize("object_store", params, ids=list(stores), indirect=True, scope="session")


def select_and_order(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Move the runs on another store than MinIO to the end, in their order, so the session's services switch
    store once; with `--object-store seaweedfs`, deselect everything else."""
    first = [item for item in items if not _on_other_store(item)]
    last = [item for item in items if _on_other_store(item)]
    if config.getoption(OPTION) == SEAWEEDFS:
        config.hook.pytest_deselected(items=first)
        first = []
    items[:] = first + last


def _on_other_store(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and callspec.params.get("object_store") not in (None, MINIO)
