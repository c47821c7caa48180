"""Where backups are kept: a directory, or a bucket (and prefix) of an S3-compatible store.

Both hold the same names: `blobs/xx/<name>` (sealed content, shared by every backup) and
`backups/<id>/manifest`. A file appears whole or not at all (a directory write goes through a temporary
file and a rename; an S3 object exists only once its upload completes). Calls are synchronous: run them in a
thread.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from minio import Minio
from minio.error import S3Error

from hub.backup.errors import BackupError, BackupErrorCode
from hub.settings import Settings

READ_BYTES = 1024 * 1024
PART_BYTES = 16 * 1024 * 1024
_MISSING = frozenset({"NoSuchKey", "NoSuchObject", "NoSuchBucket"})


class Target(Protocol):
    description: str

    def write(self, name: str, data: Iterable[bytes]) -> int:
        """Stores `data` as `name` (replacing it); the bytes written."""
        ...

    def read(self, name: str) -> Iterator[bytes]: ...

    def names(self, prefix: str) -> list[str]: ...

    def sizes(self, prefix: str) -> dict[str, int]: ...

    def remove(self, name: str) -> None: ...


def _missing(name: str, where: str) -> BackupError:
    return BackupError(BackupErrorCode.MISSING_FILE, f"{name} is missing from {where}", name)


class DirectoryTarget:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.description = str(root)

    def _path(self, name: str) -> Path:
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise BackupError(BackupErrorCode.INVALID_TARGET, f"{name} is outside the backup directory", name)
        return path

    def write(self, name: str, data: Iterable[bytes]) -> int:
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as file:
                for chunk in data:
                    file.write(chunk)
                    written += len(chunk)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return written

    def read(self, name: str) -> Iterator[bytes]:
        try:
            file = self._path(name).open("rb")
        except FileNotFoundError:
            raise _missing(name, self.description) from None
        with file:
            while chunk := file.read(READ_BYTES):
                yield chunk

    def names(self, prefix: str) -> list[str]:
        return list(self.sizes(prefix))

    def sizes(self, prefix: str) -> dict[str, int]:
        base = self._path(prefix) if prefix else self.root
        if not base.is_dir():
            return {}
        return {
            path.relative_to(self.root).as_posix(): path.stat().st_size
            for path in sorted(base.rglob("*"))
            if path.is_file() and not path.name.startswith(".partial-")
        }

    def remove(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


class IterReader:
    """A readable file over an iterator of chunks, for an upload of unknown length."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = bytearray()
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        end = len(self._buffer) if size < 0 else size
        taken = bytes(self._buffer[:end])
        del self._buffer[:end]
        self.count += len(taken)
        return taken


class BucketTarget:
    def __init__(self, client: Minio, bucket: str, prefix: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.description = f"s3://{bucket}/{self.prefix}"
        self._bucket_checked = False

    def write(self, name: str, data: Iterable[bytes]) -> int:
        if not self._bucket_checked:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)
            self._bucket_checked = True
        reader = IterReader(data)
        self.client.put_object(
            self.bucket, self.prefix + name, cast(BinaryIO, reader), -1, part_size=PART_BYTES
        )
        return reader.count

    def read(self, name: str) -> Iterator[bytes]:
        try:
            response = self.client.get_object(self.bucket, self.prefix + name)
        except S3Error as error:
            if error.code in _MISSING:
                raise _missing(name, self.description) from None
            raise
        try:
            yield from response.stream(READ_BYTES)
        finally:
            response.close()
            response.release_conn()

    def names(self, prefix: str) -> list[str]:
        return list(self.sizes(prefix))

    def sizes(self, prefix: str) -> dict[str, int]:
        if not self.client.bucket_exists(self.bucket):
            return {}
        found = self.client.list_objects(self.bucket, prefix=self.prefix + prefix, recursive=True)
        return {
            item.object_name[len(self.prefix) :]: int(item.size or 0)
            for item in found
            if item.object_name is not None
        }

    def remove(self, name: str) -> None:
        self.client.remove_object(self.bucket, self.prefix + name)


def open_target(settings: Settings, location: str | None = None) -> Target:
    """The target `location` names (default: PANTAU_BACKUP_TARGET): an absolute directory or s3://bucket/prefix.
    An s3:// target is on the store of the PANTAU_BACKUP_S3_* settings, by default the app's own."""
    where = location or settings.backup_target
    if not where:
        raise BackupError(
            BackupErrorCode.INVALID_TARGET, "no backup target: set PANTAU_BACKUP_TARGET or pass --target"
        )
    if where.startswith("s3://"):
        bucket, _, prefix = where.removeprefix("s3://").partition("/")
        if not bucket:
            raise BackupError(BackupErrorCode.INVALID_TARGET, f"{where} names no bucket")
        if bucket == settings.minio_bucket and not settings.backup_s3_endpoint:
            raise BackupError(
                BackupErrorCode.INVALID_TARGET, f"{where} is the app's own bucket: back up to another one"
            )
        secret = settings.backup_s3_secret_key or settings.minio_secret_key
        client = Minio(
            settings.backup_s3_endpoint or settings.minio_endpoint,
            access_key=settings.backup_s3_access_key or settings.minio_access_key,
            secret_key=secret.get_secret_value(),
            secure=settings.minio_secure if settings.backup_s3_secure is None else settings.backup_s3_secure,
        )
        return BucketTarget(client, bucket, prefix)
    path = Path(where)
    if not path.is_absolute():
        raise BackupError(BackupErrorCode.INVALID_TARGET, f"{where} is neither an absolute path nor s3://…")
    return DirectoryTarget(path)
