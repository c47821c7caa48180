"""Uploads that stop half-way: a client that goes away in the middle of its file (the server is told
`http.disconnect`), and a body that breaks off after several object-storage parts were already sent while the
next part was still being hashed. Neither leaves a document, an object or an unfinished multipart upload."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect
from starlette.types import Message

from hub.clients import Clients
from hub.documents.receive import receive
from hub.http.multipart import MultipartBody
from hub.storage import STREAM_PART_SIZE
from tests.conftest import TEST_MAX_UPLOAD_BYTES, Account
from tests.documents_helpers import unique_text
from tests.graphql import PREFLIGHT, UPLOAD_MUTATION, region_id
from tests.multipart_helpers import MULTIPART
from tests.multipart_helpers import body as _body
from tests.multipart_helpers import chunks as _chunks


async def _snapshot(clients: Clients) -> tuple[int, list[str]]:
    count = await clients.mongo[clients.settings.mongo_database]["documents"].count_documents({})
    return count, sorted(await asyncio.to_thread(clients.store.keys_sync))


def _unfinished(clients: Clients, prefix: str) -> list[str]:
    """The multipart uploads begun under `prefix` and neither completed nor aborted."""
    store = clients.store
    listing = store.client._list_multipart_uploads(store.bucket, prefix=prefix)
    return [upload.object_name for upload in listing.uploads]


async def _cut_off(pieces: list[bytes]) -> AsyncIterator[bytes]:
    """A request body that stops where the client went away (Starlette raises ClientDisconnect then)."""
    for piece in pieces:
        yield piece
    raise ClientDisconnect()


async def test_a_client_gone_mid_file_leaves_no_document_and_no_object(
    app: Starlette, accounts: dict[str, Account], clients: Clients
) -> None:
    before = await _snapshot(clients)
    data = (unique_text("Pergi") * 100_000)[: TEST_MAX_UPLOAD_BYTES - 1000]
    operations = {
        "query": UPLOAD_MUTATION,
        "variables": {"input": {"region": region_id("31.74"), "category": "MINUTES", "file": None}},
    }
    raw = _body(operations, {"0": ["variables.input.file"]}, [("0", "pergi.txt", data)])
    messages: list[Message] = [
        {"type": "http.request", "body": piece, "more_body": True}
        for piece in _chunks(raw[: len(raw) * 2 // 3], 64 * 1024)
    ]
    messages.append({"type": "http.disconnect"})
    delivered = 0

    async def receive_message() -> Message:
        nonlocal delivered
        if delivered < len(messages):
            delivered += 1
            return messages[delivered - 1]
        return {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    headers = {"content-type": MULTIPART, "authorization": f"Bearer {accounts['admin'].token}", **PREFLIGHT}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("10.9.8.7", 50000),
        "server": ("pantau.test", 80),
    }
    await app(scope, receive_message, send)  # ends quietly (hub.http.disconnects), no exception out
    assert delivered == len(messages)  # the hub read on to the disconnect
    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [499]
    assert await _snapshot(clients) == before


async def test_a_body_broken_off_after_several_storage_parts_leaves_nothing(clients: Clients) -> None:
    data = (unique_text("Bagian") * 1_000_000)[: 3 * STREAM_PART_SIZE]
    raw = _body({}, {"0": ["variables.file"]}, [("0", "besar.txt", data)])
    sent = raw[: raw.index(data) + 2 * STREAM_PART_SIZE + STREAM_PART_SIZE // 2]
    body = MultipartBody(MULTIPART, _cut_off(list(_chunks(sent, 256 * 1024))))
    assert await body.next_file() == "0"
    prefix = f"test-broken/{uuid.uuid4().hex}"
    key = f"{prefix}/object"
    with pytest.raises(ClientDisconnect):
        await receive(clients.store, body.upload("0"), key, max_bytes=len(data))
    assert not await clients.store.exists(key)
    assert await asyncio.to_thread(_unfinished, clients, prefix) == []
