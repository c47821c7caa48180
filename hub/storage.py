"""Object storage (MinIO/S3) behind a small interface; the SDK is synchronous, so calls run in threads."""

from __future__ import annotations

import hashlib
import io
import itertools
import threading
from collections.abc import Generator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, BinaryIO, Protocol, runtime_checkable

import anyio.to_thread
from minio import Minio
from minio.commonconfig import ComposeSource
from minio.credentials.credentials import Credentials
from minio.datatypes import Part, PostPolicy
from minio.error import S3Error
from minio.helpers import DictType

PART_SIZE = 16 * 1024 * 1024
# Streams of unknown size (multipart uploads on their way in): up to STREAM_PARALLEL parts are in flight while
# the next one is collected, so memory stays near (STREAM_PARALLEL + 2) parts whatever the size of the file
# (see tests/benchmarks/upload_1gib.py, which uploads with the same values on both sides).
STREAM_PART_SIZE = 8 * 1024 * 1024
STREAM_PARALLEL = 2
STREAM_CHUNK = 1024 * 1024
MISSING = frozenset({"NoSuchKey", "NoSuchObject"})
CONTENT_SHA256 = "x-amz-content-sha256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
# What the hub sends its streamed parts with: their bytes are not hashed for the request's signature (the hub
# hashes the whole file itself, and S3, MinIO and SeaweedFS all take an unsigned payload).
UNSIGNED = {CONTENT_SHA256: UNSIGNED_PAYLOAD}


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes | bytearray: ...


@runtime_checkable
class Recycling(Readable, Protocol):
    """A stream that takes back the parts it gave once they are sent, to fill them again (no new buffer, and
    none to zero, for every part)."""

    def reuse(self, data: bytes | bytearray, /) -> None: ...


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


def _read_part(stream: Readable) -> tuple[bytes | bytearray, bool]:
    """A part's worth of the stream (at least STREAM_PART_SIZE bytes unless it ended: a stream may give more
    than asked), and whether the stream has ended."""
    chunks: list[bytes | bytearray] = []
    have = 0
    ended = False
    while have < STREAM_PART_SIZE:
        chunk = stream.read(STREAM_PART_SIZE - have)
        if not chunk:
            ended = True
            break
        chunks.append(chunk)
        have += len(chunk)
    if len(chunks) == 1:  # a stream that gives whole parts (hub.documents.receive does): no copy
        return chunks[0], ended
    return b"".join(chunks), ended


class StoreClient(Minio):
    """minio-py's client, that also sends a body unsigned over plain HTTP when the caller asks for it with
    the header `x-amz-content-sha256: UNSIGNED-PAYLOAD` (UNSIGNED). minio-py signs UNSIGNED-PAYLOAD over HTTPS
    only; over HTTP it overwrites the header with the SHA-256 of the body: a second pass over every byte of an
    upload the hub already hashes once (hub.documents.receive), and the store then hashes it again to check
    it. Without the header every request is minio-py's own, byte for byte (the benchmark's baseline too).

    minio-py has no public hook for this: this overrides its private `_build_headers`.
    tests/test_storage_client.py fails when a new minio-py no longer calls it that way."""

    def _build_headers(
        self,
        host: str,
        headers: DictType | None = None,
        body: bytes | None = None,
        creds: Credentials | None = None,
    ) -> tuple[DictType, datetime]:
        asked = headers is not None and headers.get(CONTENT_SHA256) == UNSIGNED_PAYLOAD
        # Over HTTPS minio-py sends it unsigned already (with a Content-MD5); without credentials, unsigned.
        if not asked or creds is None or self._base_url.is_https:
            return super()._build_headers(host, headers, body, creds)
        built, date = super()._build_headers(host, headers, None, creds)  # no body: nothing to hash
        if body:
            built["Content-Length"] = str(len(body))
        built[CONTENT_SHA256] = UNSIGNED_PAYLOAD
        return built, date


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
        ETag. Each part is read whole before it is sent, so its length is known: the client sends the bytes
        as they are (given an unknown length, minio-py reads a byte ahead and copies every part twice to
        put it back), and up to STREAM_PARALLEL parts are in flight while the next one is read."""
        first, ended = _read_part(stream)
        if ended:  # all of it: one request, the bytes as they are (put_object would want `bytes` from a read)
            client: Any = self.client
            result = client._put_object(self.bucket, key, first, {"Content-Type": content_type, **UNSIGNED})
            return str(result.etag or "")
        return self._put_parts(key, first, stream, content_type)

    def _put_parts(self, key: str, first: bytes | bytearray, stream: Readable, content_type: str) -> str:
        # minio-py's multipart steps, which put_object itself uses; they are not part of its public API.
        client: Any = self.client
        upload_id = client._create_multipart_upload(self.bucket, key, {"Content-Type": content_type})
        slots = threading.BoundedSemaphore(STREAM_PARALLEL)
        recycling = stream if isinstance(stream, Recycling) else None

        def send(number: int, data: bytes | bytearray) -> Part:
            try:
                part = Part(
                    number, client._upload_part(self.bucket, key, data, dict(UNSIGNED), upload_id, number)
                )
                if recycling is not None:  # sent: minio-py holds on to nothing of it
                    recycling.reuse(data)
                return part
            finally:
                slots.release()

        sent: list[Future[Part]] = []
        try:
            with ThreadPoolExecutor(STREAM_PARALLEL, thread_name_prefix="upload-part") as pool:
                data, ended, number = first, False, 1
                while data:
                    slots.acquire()
                    sent.append(pool.submit(send, number, data))
                    if ended or any(part.done() and part.exception() for part in sent):
                        break
                    (data, ended), number = _read_part(stream), number + 1
            parts = [part.result() for part in sent]
            result = client._complete_multipart_upload(self.bucket, key, upload_id, parts)
        except BaseException:
            client._abort_multipart_upload(self.bucket, key, upload_id)
            raise
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

    def objects_sync(
        self, prefix: str = "", *, start_after: str | None = None, limit: int | None = None
    ) -> list[ObjectInfo]:
        """The objects under `prefix` in key order, after `start_after`; at most `limit` of them (the
        listing's pages are fetched as they are read, so a limit bounds the requests too)."""
        client, bucket = self.client, self.bucket
        listing = client.list_objects(bucket, prefix=prefix, recursive=True, start_after=start_after)
        found = (
            ObjectInfo(item.object_name, int(item.size or 0), str(item.etag or ""), item.last_modified)
            for item in listing
            if item.object_name is not None
        )
        return list(itertools.islice(found, limit))


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
