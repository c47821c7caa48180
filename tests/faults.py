"""Tools for the fault tests: a switch in front of a service that refuses connections the way a stopped server
does and lets them through again on the same address, and Celery workers in process groups of their own,
which a test can stop gracefully or kill outright.

The local services are shared with other test sessions, so nothing here stops or slows a real service: a
test points its own app and workers at the switch instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Awaitable, Callable

from bson import ObjectId
from redis.asyncio import Redis

from hub.documents.models import StoredDocument
from hub.settings import Settings
from tests.graphql import Client, gql_field_as, payload, raw_id, upload
from tests.processes import WorkerProcess
from workers.celery_app import broker_transport_options

SEARCH = """query($q: String!) { search(query: $q, first: 50) { totalCount nodes { node {
  ... on Report { id } ... on Case { id } ... on Document { id } } } } }"""


class ServiceSwitch:
    """A TCP forwarder on a fixed local port to a real service. `stop()` closes the port and cuts every open
    connection, as a stopped server would; `start()` opens the same port again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._running = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self._listener = listener
        self._running.set()
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        self._running.clear()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while self._running.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                if not self._running.is_set():
                    client.close()
                    upstream.close()
                    return
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def unacked_keys(settings: Settings) -> tuple[str, str]:
    """The Redis hash of the messages the queue's workers took and have not acknowledged, and its index."""
    options = broker_transport_options(settings)
    return options["unacked_key"], options["unacked_index_key"]


async def drop_queue(redis: Redis, queue: str) -> None:
    """Removes every Redis key of a test's own queue (the queue, its bindings, its unacked messages)."""
    keys = [key async for key in redis.scan_iter(match=f"*{queue}*", count=1000)]
    if keys:
        await redis.delete(*keys)


# --- talking to a test's own app ----------------------------------------------------------------------------


async def upload_file(clients: Client, token: str, data: bytes, name: str) -> str:
    """A multipart upload through GraphQL to region 31.74; the new document's MongoDB id."""
    async with clients(token) as client:
        result = payload(await upload(client, region="31.74", data=data, name=name, category="MINUTES"))
    assert result["errors"] == [], result["errors"]
    return raw_id(result["document"]["id"])


async def search_ids(clients: Client, token: str, text: str) -> set[str]:
    """The MongoDB ids of every hit of the hub's search."""
    found = await gql_field_as(clients, token, SEARCH, {"q": text}, "search")
    assert found["totalCount"] == len(found["nodes"])
    return {raw_id(hit["node"]["id"]) for hit in found["nodes"]}


async def documents(ids: set[str]) -> list[StoredDocument]:
    return await StoredDocument.find({"_id": {"$in": [ObjectId(value) for value in ids]}}).to_list()


async def eventually(
    condition: Callable[[], Awaitable[bool]], what: str, worker: WorkerProcess, seconds: float
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.3)
    raise AssertionError(f"{what}: not within {seconds:.0f} s; worker log:\n{worker.text()[-4000:]}")
