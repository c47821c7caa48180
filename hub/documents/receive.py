"""Multipart uploads streamed into object storage in one pass, checked on the way: the type is sniffed from
the first bytes before anything is stored, the SHA-256 and the size are counted as the bytes go through, and
the size cap stops the stream as soon as it is passed.

The bytes go straight to their final key (a staging copy would read and write them all again); the caller
records the document there, or removes the object when no document comes of it. A zip container (DOCX, XLSX,
ODT) is typed by its directory at the end of the file, so it is sniffed from the stored object afterwards.

Memory stays bounded whatever the size of the file: object storage takes the bytes in parts (see
hub.storage.STREAM_PART_SIZE), and the request body is read only as fast as those parts are taken.
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import anyio
import anyio.from_thread
import anyio.to_thread

from hub.documents.checks import cap_for, require_type
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.record import remove_quietly
from hub.documents.remote import sniff_stored
from hub.documents.sniff import HEAD_BYTES, is_zip, sniff_head
from hub.i18n import Text
from hub.storage import ObjectStore

log = logging.getLogger(__name__)
UNTYPED = "application/octet-stream"
# Threads that hash large parts while the next part arrives, shared by every upload (each has at most one part
# hashing at a time): a process does not start a thread per upload. A smaller read is hashed where it is made.
_HASHERS = ThreadPoolExecutor(4, thread_name_prefix="upload-hash")
HASH_ASIDE_BYTES = 1024 * 1024


@runtime_checkable
class ByteSource(Protocol):
    async def read(self, size: int) -> bytes:
        """At most `size` bytes (some, when there are any left); b"" at the end."""
        ...


@runtime_checkable
class FileSource(ByteSource, Protocol):
    async def start(self) -> str | None:
        """Waits for the file to begin; the file name its sender gave (display only)."""
        ...

    async def settle(self) -> None:
        """Waits for the rest of the request that carries the file; raises when that request fails after the
        file (a part too many, cut off, a file missing), so that nothing is recorded from it."""
        ...


@dataclass(frozen=True)
class Received:
    size: int
    sha256: str
    content_type: str


def too_large(max_bytes: int, field: str = "file") -> DocumentError:
    return DocumentError(
        DocumentErrorCode.FILE_TOO_LARGE,
        Text("documents.file_over_limit", max_bytes=max_bytes),
        field,
    )


class _Feed:
    """What object storage reads, in a worker thread. Each read collects the bytes on the event loop straight
    into one buffer: a part already sent and hashed when there is one (object storage hands them back,
    hub.storage.Recycling), else a new one; so no join of the chunks, and no new part to allocate and zero
    each time. The SHA-256 of a large part is computed in a shared thread while the next part is collected
    (hashlib lets go of the GIL on large buffers), at most one part behind, so memory stays bounded. A source
    that fails, or goes past the cap, ends the stream early: the caller then removes what was stored
    (ending it cleanly leaves minio-py nothing half-done). `close` when done."""

    def __init__(self, source: ByteSource, head: bytes, max_bytes: int) -> None:
        self._source = source
        self._head = head
        self._max_bytes = max_bytes
        self._ended = False
        self._digest = hashlib.sha256()
        self._hashing: Future[None] | None = None
        self._hashing_data: bytearray | None = None
        self._spares: deque[bytearray] = deque()  # parts sent (hub.storage.Recycling), to fill again
        self.size = 0
        self.failure: Exception | None = None

    def read(self, size: int = -1, /) -> bytearray:
        data = anyio.from_thread.run(self._collect, size if size >= 0 else HEAD_BYTES, self._spare())
        self._hashed()
        if len(data) >= HASH_ASIDE_BYTES:
            self._hashing, self._hashing_data = _HASHERS.submit(self._digest.update, data), data
        else:
            self._digest.update(data)
        self.size += len(data)
        return data

    def reuse(self, data: bytes | bytearray, /) -> None:
        """Called by object storage, in its sending threads, for each part sent."""
        if isinstance(data, bytearray):
            self._spares.append(data)

    def _spare(self) -> bytearray | None:
        """A part sent and hashed already, if there is one (only the last part given may still be hashing)."""
        hashing = self._hashing_data if self._hashing is not None and not self._hashing.done() else None
        for _ in range(len(self._spares)):
            spare = self._spares.popleft()
            if spare is not hashing:
                return spare
            self._spares.append(spare)
        return None

    def _hashed(self) -> None:
        if self._hashing is not None:
            self._hashing.result()
            self._hashing = self._hashing_data = None

    def sha256(self) -> str:
        """The file's SHA-256; at once after the stream's end (the read that finds the end waits for the last
        part's hash)."""
        self._hashed()
        return self._digest.hexdigest()

    def close(self) -> None:
        """Drops the hashing of a part not started yet (the upload failed: nobody will read the digest)."""
        if self._hashing is not None:
            self._hashing.cancel()

    async def _collect(self, size: int, spare: bytearray | None) -> bytearray:
        # One byte over the cap is enough to tell that the file is too large.
        size = min(size, self._max_bytes + 1 - self.size)
        if size <= 0:
            self._ended = True
            return bytearray()
        buffer = spare if spare is not None and len(spare) == size else bytearray(size)
        have = len(self._head[:size])
        buffer[:have] = self._head[:size]
        self._head = self._head[size:]
        while have < size and not self._ended:
            try:
                chunk = await self._source.read(size - have)
            except Exception as error:
                self.failure = error
                self._ended = True
                break
            if not chunk:
                self._ended = True
                break
            buffer[have : have + len(chunk)] = chunk
            have += len(chunk)
        if have < len(buffer):
            del buffer[have:]
        return buffer


async def _head(source: ByteSource) -> bytes:
    head = b""
    while len(head) < HEAD_BYTES:
        chunk = await source.read(HEAD_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    return head


async def receive(
    store: ObjectStore,
    source: ByteSource,
    key: str,
    max_bytes: int,
    field: str = "file",
    max_video_bytes: int | None = None,
) -> Received:
    """Streams `source` to `key`, checking it on the way; nothing is left at `key` when a check fails. A
    video is held to `max_video_bytes` as well, from its first bytes on."""
    head = await _head(source)
    if not head:
        raise DocumentError(DocumentErrorCode.EMPTY_FILE, Text("documents.empty_file"), field)
    zipped = is_zip(head)
    content_type = UNTYPED if zipped else require_type(sniff_head(head), field)
    max_bytes = cap_for(content_type, max_bytes, max_video_bytes)
    feed = _Feed(source, head, max_bytes)
    try:
        return await _stream(store, feed, key, max_bytes, field, content_type, zipped=zipped)
    finally:
        feed.close()


async def _stream(
    store: ObjectStore, feed: _Feed, key: str, max_bytes: int, field: str, content_type: str, *, zipped: bool
) -> Received:
    try:
        # A thread outside the shared pool: it waits on the event loop for the bytes, and what the loop does
        # to get them (spooling a file that arrived out of order) may need a thread of that pool.
        etag = await anyio.to_thread.run_sync(
            store.put_stream_sync, key, feed, content_type, limiter=anyio.CapacityLimiter(1)
        )
    except Exception as error:
        await remove_quietly(store, key)
        if feed.failure is not None:
            raise feed.failure from error
        log.warning("object storage refused %s: %s", key, error)
        raise DocumentError(
            DocumentErrorCode.STORAGE_UNAVAILABLE, Text("documents.store_unavailable"), field
        ) from error
    try:
        if feed.failure is not None:  # the request body failed (cut off, over the body cap, malformed)
            raise feed.failure
        if feed.size > max_bytes:
            raise too_large(max_bytes, field)
        if zipped:
            content_type = await _zip_type(store, key, feed.size, etag, field)
    except BaseException:
        await remove_quietly(store, key)
        raise
    return Received(size=feed.size, sha256=feed.sha256(), content_type=content_type)


async def _zip_type(store: ObjectStore, key: str, size: int, etag: str, field: str) -> str:
    """The type of a stored zip container, from its directory; recorded on the object as well."""
    try:
        detected = await anyio.to_thread.run_sync(sniff_stored, store, key, size, etag)
    except Exception as error:
        log.warning("could not sniff %s: %s", key, error)
        raise DocumentError(
            DocumentErrorCode.STORAGE_UNAVAILABLE, Text("documents.check_unavailable"), field
        ) from error
    content_type = require_type(detected, field)
    try:
        await store.copy(key, key, content_type, etag=etag)  # same object, new metadata: no data is copied
    except Exception as error:
        log.warning("could not set the type of %s: %s", key, error)
        raise DocumentError(
            DocumentErrorCode.STORAGE_UNAVAILABLE, Text("documents.store_unavailable"), field
        ) from error
    return content_type
