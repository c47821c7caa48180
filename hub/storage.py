"""Object storage (MinIO/S3) behind a small interface; the SDK is synchronous, so calls run in threads."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Generator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO, Protocol, cast

import anyio.to_thread
from minio import Minio
from minio.commonconfig import ComposeSource
from minio.datatypes import PostPolicy
from minio.error import S3Error
from minio.helpers import DictType

PART_SIZE = 16 * 1024 * 1024
# Streams of unknown size (multipart uploads on their way in): minio-py holds up to STREAM_PARALLEL parts in
# flight while the next one is collected and copied, so memory stays near (STREAM_PARALLEL + 3) parts whatever
# the size of the file (40 to 52 MiB measured by tests/benchmarks/upload_1gib.py with these values).
STREAM_PART_SIZE = 8 * 1024 * 1024
STREAM_PARALLEL = 2
STREAM_CHUNK = 1024 * 1024
MISSING = frozenset({"NoSuchKey", "NoSuchObject"})


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class ObjectChangedError(Exception):
    """The object no longer has the ETag it was checked with (it was overwritten meanwhile)."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    etag: str
    last_modified: datetime | None


def _missing(error: S3Error) -> bool:
    return error.code in MISSING


def _changed(error: S3Error) -> bool:
    return error.code == "PreconditionFailed"


class ObjectStore:
    def __init__(self, client: Minio, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    async def ensure_bucket(self) -> None:
        def ensure() -> None:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)

        await anyio.to_thread.run_sync(ensure)

    async def put(self, key: str, stream: BinaryIO, length: int, content_type: str) -> None:
        await anyio.to_thread.run_sync(
            lambda: self.client.put_object(
                self.bucket, key, stream, length, content_type=content_type, part_size=PART_SIZE
            )
        )

    def put_stream_sync(self, key: str, stream: Readable, content_type: str) -> str:
        """Uploads a stream of unknown size, read to its end in parts (call it in a worker thread); the
        ETag."""
        result = self.client.put_object(
            self.bucket,
            key,
            cast(BinaryIO, stream),
            -1,
            content_type=content_type,
            part_size=STREAM_PART_SIZE,
            num_parallel_uploads=STREAM_PARALLEL,
        )
        return str(result.etag or "")

    async def remove(self, key: str) -> None:
        """Removing an object that is not there succeeds: callers may run twice."""
        await anyio.to_thread.run_sync(lambda: self.client.remove_object(self.bucket, key))

    async def exists(self, key: str) -> bool:
        return await self.stat(key) is not None

    async def stat(self, key: str) -> ObjectInfo | None:
        def stat() -> ObjectInfo | None:
            try:
                found = self.client.stat_object(self.bucket, key)
            except S3Error as error:
                if _missing(error):
                    return None
                raise
            return ObjectInfo(key, int(found.size or 0), str(found.etag or ""), found.last_modified)

        return await anyio.to_thread.run_sync(stat)

    async def copy(self, source: str, target: str, content_type: str, *, etag: str | None = None) -> None:
        """Server-side copy (multipart for objects over 5 GiB), only of the object with `etag` when given."""

        def copy() -> None:
            origin = ComposeSource(self.bucket, source, match_etag=etag)
            try:
                self.client.compose_object(
                    self.bucket, target, [origin], metadata={"Content-Type": content_type}
                )
            except S3Error as error:
                if _changed(error):
                    raise ObjectChangedError(source) from error
                raise

        await anyio.to_thread.run_sync(copy)

    def chunks_sync(
        self, key: str, *, offset: int = 0, length: int = 0, etag: str | None = None
    ) -> Generator[bytes, None, None]:
        """The bytes (or `length` of them from `offset`) in chunks; never the whole object at once."""
        headers: DictType | None = {"If-Match": etag} if etag else None
        try:
            response = self.client.get_object(
                self.bucket, key, offset=offset, length=length, request_headers=headers
            )
        except S3Error as error:
            if _changed(error):
                raise ObjectChangedError(key) from error
            raise
        try:
            yield from response.stream(STREAM_CHUNK)
        finally:
            response.close()
            response.release_conn()

    def sha256_sync(self, key: str, *, etag: str | None = None) -> tuple[str, int]:
        """The SHA-256 and size of an object, streamed once."""
        digest = hashlib.sha256()
        size = 0
        with closing(self.chunks_sync(key, etag=etag)) as chunks:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
        return digest.hexdigest(), size

    def read_sync(self, key: str, limit: int) -> bytes:
        """At most `limit` bytes of an object (callers bound memory by the upload cap)."""
        buffer = io.BytesIO()
        with closing(self.chunks_sync(key)) as chunks:
            for chunk in chunks:
                buffer.write(chunk)
                if buffer.tell() > limit:
                    raise ValueError(f"object {key} is larger than {limit} bytes")
        return buffer.getvalue()

    def keys_sync(self, prefix: str = "") -> list[str]:
        return [item.key for item in self.objects_sync(prefix)]

    def objects_sync(self, prefix: str = "") -> list[ObjectInfo]:
        return [
            ObjectInfo(item.object_name, int(item.size or 0), str(item.etag or ""), item.last_modified)
            for item in self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
            if item.object_name is not None
        ]


class UrlSigner:
    """Presigned URLs and POST forms for clients, signed for the endpoint clients reach (which may be a proxy
    in front of MinIO). Signing is local: the region is given, so no request goes to the server."""

    def __init__(self, client: Minio, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    def post_fields(self, key: str, size: int, expires_at: datetime) -> dict[str, str]:
        """The fields of a browser-style POST upload of exactly `size` bytes to `key`, until `expires_at`. The
        store itself refuses any other key, any other size and any extra field. There is no PUT URL: a PUT's
        signature cannot bound its size."""
        policy = PostPolicy(self.bucket, expires_at)
        policy.add_equals_condition("key", key)
        policy.add_content_length_range_condition(size, size)
        return {"key": key, **self.client.presigned_post_policy(policy)}

    def get_url(self, key: str, expires: timedelta, now: datetime, response_headers: dict[str, str]) -> str:
        return self.client.get_presigned_url(
            "GET",
            self.bucket,
            key,
            expires=expires,
            request_date=now,
            response_headers=dict(response_headers),
        )
