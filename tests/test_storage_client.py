"""The hub's object-storage client (hub.storage.StoreClient): the parts of a streamed upload go unsigned over
plain HTTP (their bytes are not hashed a second time for the signature), and the store keeps them whole; a
request that does not ask for it is signed with the hash of its body, as minio-py does. These tests read the
requests as the client traces them (minio-py's public `trace_on`): they fail when a new minio-py no longer
goes through the private method that StoreClient overrides. They run on MinIO and on SeaweedFS."""

from __future__ import annotations

import asyncio
import hashlib
import io
import uuid

import pytest
from minio.error import S3Error

from hub.clients import Clients, make_minio
from hub.storage import STREAM_PART_SIZE, ObjectStore, StoreClient
from tests.documents_helpers import unique_text

UNSIGNED_LINE = "X-Amz-Content-Sha256: UNSIGNED-PAYLOAD"


class _Chunks:
    """A stream that gives at most `chunk` bytes a read, as a request body does."""

    def __init__(self, data: bytes, chunk: int) -> None:
        self._data = io.BytesIO(data)
        self._chunk = chunk

    def read(self, size: int = -1, /) -> bytes:
        return self._data.read(min(size, self._chunk) if size >= 0 else self._chunk)


def _traced(clients: Clients) -> tuple[ObjectStore, io.StringIO]:
    """A store of its own over the session's bucket (the shared client's trace is left alone), tracing."""
    client = make_minio(clients.settings)
    assert isinstance(client, StoreClient)
    trace = io.StringIO()
    client.trace_on(trace)
    return ObjectStore(client, clients.store.bucket), trace


@pytest.mark.parametrize(
    ("size", "chunk", "requests"),
    [
        # Three parts, each unsigned; the requests around them (create, complete) are signed as ever.
        (2 * STREAM_PART_SIZE + 4321, 300_000, 3),
        # All of it within one part: one unsigned request, no multipart upload.
        (50_000, 4096, 1),
    ],
    ids=["three-parts", "one-request"],
)
async def test_streamed_bytes_go_unsigned_and_are_stored_whole(
    clients: Clients, size: int, chunk: int, requests: int
) -> None:
    store, trace = _traced(clients)
    data = (unique_text("Bagian") * (size // 40 + 1))[:size]  # a line is over 40 bytes
    key = f"test-client/{uuid.uuid4().hex}"
    await asyncio.to_thread(store.put_stream_sync, key, _Chunks(data, chunk), "text/plain")
    try:
        assert trace.getvalue().count(UNSIGNED_LINE) == requests
        assert trace.getvalue().count("partNumber=") == (requests if requests > 1 else 0)
        assert ("uploads=" in trace.getvalue()) is (requests > 1)
        stored = await asyncio.to_thread(store.sha256_sync, key)
        assert stored == (hashlib.sha256(data).hexdigest(), len(data))
    finally:
        await store.remove(key)


async def test_other_requests_are_signed_with_their_body_hash(clients: Clients) -> None:
    # What minio-py does by itself over HTTP (the benchmark's baseline uses this client too).
    store, trace = _traced(clients)
    data = unique_text("Ditandatangani") * 100
    key = f"test-client/{uuid.uuid4().hex}"
    await asyncio.to_thread(
        store.client.put_object, store.bucket, key, io.BytesIO(data), len(data), content_type="text/plain"
    )
    try:
        secure = clients.settings.minio_secure
        expected = UNSIGNED_LINE if secure else f"X-Amz-Content-Sha256: {hashlib.sha256(data).hexdigest()}"
        assert expected in trace.getvalue()
        assert secure or UNSIGNED_LINE not in trace.getvalue()
    finally:
        await store.remove(key)


async def test_an_unsigned_part_still_needs_the_right_key(clients: Clients) -> None:
    # The payload is not signed, the request still is: a wrong key is refused at the part itself (the region
    # is given, so the PUT is the client's first request).
    settings = clients.settings
    wrong = StoreClient(
        settings.minio_endpoint,
        access_key=settings.minio_access_key,
        secret_key=settings.minio_secret_key.get_secret_value() + "-wrong",
        secure=settings.minio_secure,
        region=settings.minio_region,
    )
    trace = io.StringIO()
    wrong.trace_on(trace)
    key = f"test-client/{uuid.uuid4().hex}"
    with pytest.raises(S3Error):
        await asyncio.to_thread(
            ObjectStore(wrong, clients.store.bucket).put_stream_sync, key, _Chunks(b"isi", 3), "text/plain"
        )
    assert trace.getvalue().startswith("---------START-HTTP---------\nPUT ")
    assert UNSIGNED_LINE in trace.getvalue()
    assert not await clients.store.exists(key)
