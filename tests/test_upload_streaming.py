"""Multipart uploads streamed into object storage while they arrive: the body parser on odd chunkings, files
read out of order, bodies that fail or grow too large mid-file, office files typed after storing, and the
one-pass receive (hash, size, cap) across several storage parts. Nothing is left behind on any refusal."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid

import httpx
import pytest

from hub.clients import Clients
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.receive import receive
from hub.documents.sniff import DOCX
from hub.http.multipart import MultipartBody, MultipartError
from hub.storage import STREAM_PART_SIZE
from tests.conftest import TEST_MAX_UPLOAD_BYTES
from tests.documents_helpers import docx_bytes, unique_text
from tests.graphql import UPLOAD_MUTATION, payload, region_id, upload
from tests.multipart_helpers import BOUNDARY
from tests.multipart_helpers import body as _body
from tests.multipart_helpers import chunks as _chunks
from tests.multipart_helpers import post as _post
from tests.multipart_helpers import stream as _stream

FIELDS = "created document { id fileName contentType size sha256 } errors { field message code }"
TWO_UPLOADS = f"""mutation($a: DocumentUploadInput!, $b: DocumentUploadInput!) {{
  a: documentUpload(input: $a) {{ {FIELDS} }} b: documentUpload(input: $b) {{ {FIELDS} }} }}"""


def _upload_operations(region: str) -> dict[str, object]:
    return {
        "query": UPLOAD_MUTATION,
        "variables": {"input": {"region": region_id(region), "category": "MINUTES", "file": None}},
    }


async def _snapshot(clients: Clients) -> tuple[int, list[str]]:
    count = await clients.mongo[clients.settings.mongo_database]["documents"].count_documents({})
    return count, sorted(await asyncio.to_thread(clients.store.keys_sync))


@pytest.mark.parametrize("chunk_size", [1, 7, 64 * 1024])
async def test_the_parser_reads_fields_and_files_whatever_the_chunking(chunk_size: int) -> None:
    data = b"--not the boundary\r\n" + bytes(range(256)) * 50
    raw = _body(
        {"query": "{ x }"}, {"0": ["variables.file"]}, [("skipped", "a.bin", b"x" * 10), ("0", "b", data)]
    )
    body = MultipartBody(f"multipart/form-data; boundary={BOUNDARY}", _stream(_chunks(raw, chunk_size)))
    assert await body.next_file() == "skipped"
    assert json.loads(body.fields["operations"]) == {"query": "{ x }"}
    file = body.upload("0")
    assert await body.next_file() == "0"
    received = b""
    while chunk := await file.read(1000):
        received += chunk
    assert received == data
    assert file.filename == "b"
    await body.finish()


async def test_a_truncated_body_fails_the_file_being_read() -> None:
    raw = _body({}, {"0": ["variables.file"]}, [("0", "a.txt", b"isi berkas " * 100)])[:-200]
    body = MultipartBody(f"multipart/form-data; boundary={BOUNDARY}", _stream(_chunks(raw, 100)))
    assert await body.next_file() == "0"
    file = body.upload("0")

    async def read_all() -> None:
        while await file.read(64):
            pass

    with pytest.raises(MultipartError):
        await read_all()
    with pytest.raises(MultipartError):
        await body.finish()


async def test_files_read_out_of_order_are_spooled(http: httpx.AsyncClient, clients: Clients) -> None:
    # The second file arrives first and is over the spool's memory part: it goes to a temporary file.
    first, second = unique_text("Pertama").ljust(3000), unique_text("Kedua").ljust(1_200_000)
    operations = {
        "query": TWO_UPLOADS,
        "variables": {
            key: {"region": region_id("31.74"), "category": "MINUTES", "file": None} for key in ("a", "b")
        },
    }
    files_map = {"0": ["variables.a.file"], "1": ["variables.b.file"]}
    raw = _body(operations, files_map, [("1", "kedua.txt", second), ("0", "pertama.txt", first)])
    response = await _post(http, _stream(_chunks(raw, 4096)))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    for alias, content, name in (("a", first, "pertama.txt"), ("b", second, "kedua.txt")):
        assert data[alias]["errors"] == []
        document = data[alias]["document"]
        assert (document["fileName"], document["sha256"], document["size"]) == (
            name,
            hashlib.sha256(content).hexdigest(),
            len(content),
        )


async def test_a_file_over_the_cap_mid_stream_is_refused(http: httpx.AsyncClient, clients: Clients) -> None:
    before = await _snapshot(clients)
    data = b"%PDF-1.4\n" + b"x" * (TEST_MAX_UPLOAD_BYTES + 300_000)
    raw = _body(_upload_operations("31.74"), {"0": ["variables.input.file"]}, [("0", "besar.pdf", data)])
    result = payload(await _post(http, _stream(_chunks(raw, 64 * 1024))))
    assert [(error["code"], error["field"]) for error in result["errors"]] == [("FILE_TOO_LARGE", "file")]
    assert await _snapshot(clients) == before


async def test_a_body_over_the_cap_mid_stream_is_refused(http: httpx.AsyncClient, clients: Clients) -> None:
    before = await _snapshot(clients)
    data = b"%PDF-1.4\n" + b"x" * (TEST_MAX_UPLOAD_BYTES + 2 * 1024 * 1024)
    raw = _body(_upload_operations("31.74"), {"0": ["variables.input.file"]}, [("0", "besar.pdf", data)])
    response = await _post(http, _stream(_chunks(raw, 64 * 1024)))
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BODY_TOO_LARGE"
    assert await _snapshot(clients) == before


async def test_a_body_that_breaks_off_mid_file_leaves_nothing(
    http: httpx.AsyncClient, clients: Clients
) -> None:
    before = await _snapshot(clients)
    data = unique_text("Terputus") * 20_000
    raw = _body(_upload_operations("31.74"), {"0": ["variables.input.file"]}, [("0", "putus.txt", data)])
    with pytest.raises(ConnectionResetError):
        await _post(http, _stream(_chunks(raw[: len(raw) // 2], 64 * 1024), ConnectionResetError("gone")))
    assert await _snapshot(clients) == before


async def test_an_office_file_is_typed_from_storage(http: httpx.AsyncClient, clients: Clients) -> None:
    data = docx_bytes(f"Surat Keputusan {uuid.uuid4()}")
    result = payload(await upload(http, region="31.74", data=data, name="sk.docx", category="DECREE"))
    assert result["errors"] == []
    assert result["document"]["contentType"] == DOCX
    documents = clients.mongo[clients.settings.mongo_database]["documents"]
    stored = await documents.find_one({"sha256": result["document"]["sha256"]})
    assert stored is not None
    stat = await asyncio.to_thread(
        clients.store.client.stat_object, clients.store.bucket, stored["object_key"]
    )
    assert stat.content_type == DOCX


class _Source:
    def __init__(self, data: bytes, chunk: int) -> None:
        self._chunks = _chunks(data, chunk)

    async def read(self, size: int) -> bytes:
        return next(self._chunks, b"")


async def test_receive_hashes_and_counts_across_storage_parts(clients: Clients) -> None:
    data = (unique_text("Bagian") * 400_000)[: 2 * STREAM_PART_SIZE + 12_345]
    key = f"test-stream/{uuid.uuid4().hex}"
    received = await receive(clients.store, _Source(data, 100_000), key, max_bytes=len(data))
    try:
        assert (received.size, received.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert (await clients.store.stat(key) or pytest.fail("not stored")).size == len(data)
    finally:
        await clients.store.remove(key)


async def test_receive_stops_at_the_cap_and_leaves_nothing(clients: Clients) -> None:
    data = b"%PDF-1.4\n" + b"y" * (2 * STREAM_PART_SIZE)
    key = f"test-stream/{uuid.uuid4().hex}"
    with pytest.raises(DocumentError) as refused:
        await receive(clients.store, _Source(data, 100_000), key, max_bytes=STREAM_PART_SIZE + 1)
    assert refused.value.code == DocumentErrorCode.FILE_TOO_LARGE
    assert not await clients.store.exists(key)


async def test_receive_stores_every_part_as_sent_when_parts_are_refilled(clients: Clients) -> None:
    # More parts than are ever in flight, each unlike the others: a part buffer filled again before its bytes
    # were sent (or hashed) would change what is stored or the SHA-256 recorded.
    blocks = [hashlib.sha256(str(number).encode()).hexdigest().encode() for number in range(8)]
    data = b"".join(block * (STREAM_PART_SIZE // len(block) + 1) for block in blocks)[
        : 6 * STREAM_PART_SIZE + 999
    ]
    key = f"test-stream/{uuid.uuid4().hex}"
    received = await receive(clients.store, _Source(data, 256 * 1024), key, max_bytes=len(data))
    try:
        assert (received.size, received.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        stored = await asyncio.to_thread(clients.store.sha256_sync, key)
        assert stored == (hashlib.sha256(data).hexdigest(), len(data))
    finally:
        await clients.store.remove(key)
