"""A client that closes its connection before it has sent its whole body (a load generator giving up, a tab
closed mid-upload) ends its request quietly: no exception out of the app, nothing logged at ERROR, counted
as `status="499"` (client closed request), nothing stored. The hub runs in a real uvicorn server and the
client is a real socket that goes away mid-body."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import uvicorn
from prometheus_client import REGISTRY
from starlette.applications import Starlette

from hub.clients import Clients
from tests.conftest import Account
from tests.graphql import UPLOAD_MUTATION, region_id
from tests.multipart_helpers import BOUNDARY, MULTIPART, BodyCounter, part

POLLS = 400  # bounded waits for the server to have handled what the client did


@dataclass
class Served:
    port: int
    counter: BodyCounter


@pytest.fixture
async def served(app: Starlette) -> AsyncIterator[Served]:
    counter = BodyCounter(app)
    config = uvicorn.Config(counter, host="127.0.0.1", port=0, lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(POLLS):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield Served(port, counter)
    finally:
        server.should_exit = True
        await task


def _closed_requests() -> float:
    labels = {"method": "POST", "route": "/graphql", "status": "499"}
    return REGISTRY.get_sample_value("pantau_http_requests_total", labels) or 0.0


def _server_errors() -> float:
    labels = {"method": "POST", "route": "/graphql", "status": "500"}
    return REGISTRY.get_sample_value("pantau_http_requests_total", labels) or 0.0


async def _send_part_and_leave(served: Served, headers: dict[str, str], sent: bytes, declared: int) -> None:
    """Sends the request's head and `sent` of a body declared `declared` bytes long, waits until the server
    has read it all, then closes the connection."""
    _reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
    head = f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {declared}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    writer.write(head.encode() + b"\r\n" + sent)
    await writer.drain()
    for _ in range(POLLS):
        if served.counter.read >= len(sent):
            break
        await asyncio.sleep(0.01)
    assert served.counter.read == len(sent)
    writer.close()
    await writer.wait_closed()


async def _handled(before: float) -> None:
    for _ in range(POLLS):
        if _closed_requests() > before:
            return
        await asyncio.sleep(0.01)


def _quiet(caplog: pytest.LogCaptureFixture) -> None:
    loud = [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= logging.ERROR
    ]
    assert loud == []
    assert any(
        record.name == "hub.http.disconnects" and "client closed POST /graphql" in record.getMessage()
        for record in caplog.records
    )


async def test_a_query_whose_client_leaves_mid_body_ends_quietly(
    served: Served, accounts: dict[str, Account], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    closed, errors = _closed_requests(), _server_errors()
    query = json.dumps({"query": "{ viewer { username } }", "padding": "x" * 4000}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {accounts['admin'].token}"}
    await _send_part_and_leave(served, headers, query[:1000], len(query))
    await _handled(closed)
    assert _closed_requests() == closed + 1
    assert _server_errors() == errors
    _quiet(caplog)


async def test_an_upload_whose_client_leaves_mid_file_ends_quietly_and_stores_nothing(
    served: Served, seeded: Clients, accounts: dict[str, Account], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    documents = seeded.mongo[seeded.settings.mongo_database]["documents"]
    stored = await documents.count_documents({})
    closed, errors = _closed_requests(), _server_errors()
    variables = {"input": {"region": region_id("31.74"), "category": "MINUTES", "file": None}}
    operations = json.dumps({"query": UPLOAD_MUTATION, "variables": variables}).encode()
    files_map = json.dumps({"0": ["variables.input.file"]}).encode()
    started = part("operations", operations) + part("map", files_map)
    started += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="notulen.txt"\r\n\r\n'.encode()
    )
    started += b"Notulen rapat Tim Pemantauan, halaman satu.\n" * 1500  # ~66 KB of a 1 MiB file
    headers = {
        "Content-Type": MULTIPART,
        "GraphQL-Preflight": "1",
        "Authorization": f"Bearer {accounts['operator-31.74'].token}",
    }
    await _send_part_and_leave(served, headers, started, len(started) + 1024 * 1024)
    await _handled(closed)
    assert _closed_requests() == closed + 1
    assert _server_errors() == errors
    _quiet(caplog)
    assert await documents.count_documents({}) == stored
