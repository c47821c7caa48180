"""A second API process and real graphql-transport-ws clients for the subscription tests. Every wait is
bounded."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from hub.core.clock import utcnow
from hub.settings import Settings
from tests.conftest import Account
from tests.graphql import ENGLISH, Client, gql_field_as, region_id
from tests.processes import ROOT, settings_env, stop
from tests.reports_helpers import INCIDENT

PROTOCOL = "graphql-transport-ws"
WAIT_SECONDS = 15.0
# The server the clients connect to: a low cap and frequent token checks, to test both quickly.
SERVER_ENV = {"PANTAU_MAX_SUBSCRIPTIONS_PER_CONNECTION": "3", "PANTAU_SUBSCRIPTION_RECHECK_SECONDS": "1"}

INCIDENTS = """subscription($region: RegionCode) { incidentCreated(region: $region) {
  __typename eventId kind at regionCode title category severity region { code }
  report { id title status region { code } } } }"""
STATUSES = """subscription { reportStatusChanged {
  eventId kind regionCode title from to period report { id status } } }"""
CASES = """subscription { caseUpdated { eventId kind regionCode change title status case { id title } } }"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def api_process(settings: Settings, log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`pantau serve` in its own process, on a free port, logging to `log_path`; yields its base URL."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "hub.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env={**settings_env(settings), **SERVER_ENV, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while metric(base, "pantau_live_relay_connected") != 1:
            if process.poll() is not None or time.monotonic() > deadline:
                output = log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"`pantau serve` did not start listening for events:\n{output}")
            time.sleep(0.2)
        yield base
    finally:
        stop(process)


async def fresh(base: str) -> str:
    """The server, once no subscription of an earlier test is left on it."""
    await subscribers_reach(base, 0)
    return base


def metric(base: str, name: str) -> float | None:
    try:
        text = httpx.get(f"{base}/metrics", timeout=2).text
    except httpx.TransportError:
        return None
    found = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else None


async def subscribers_reach(base: str, count: int) -> None:
    """Waits until the server holds exactly `count` subscriptions (it registers them as they start)."""
    seen = None
    for _ in range(int(WAIT_SECONDS / 0.1)):  # a bounded number of polls, not a clock
        if (seen := await asyncio.to_thread(metric, base, "pantau_live_subscribers")) == count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the server holds {seen} subscriptions, not {count}")


class LiveClient:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self, timeout: float = WAIT_SECONDS) -> dict[str, Any]:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            raw = await self.connection.recv()
        message: dict[str, Any] = json.loads(raw)
        return message

    async def init(self, payload: dict[str, Any] | None) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": payload or {}})
        return await self.receive()

    async def subscribe(self, operation_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        payload = {"query": query, "variables": variables or {}}
        await self.send({"id": operation_id, "type": "subscribe", "payload": payload})

    async def events_until(self, last: str, timeout: float = WAIT_SECONDS) -> list[dict[str, Any]]:  # noqa: ASYNC109
        """The data of each `next` message, in order, up to the one whose payload mentions `last`."""
        received: list[dict[str, Any]] = []
        async with asyncio.timeout(timeout):
            while True:
                message = await self.receive(timeout)
                assert message["type"] == "next", message
                assert "errors" not in message["payload"], message
                received.append(message["payload"]["data"])
                if last in json.dumps(message["payload"]):
                    return received

    async def closed(self, timeout: float = WAIT_SECONDS) -> tuple[int | None, str]:  # noqa: ASYNC109
        """Reads until the server closes the socket; its close code and reason."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    await self.connection.recv()
        except ConnectionClosed as closed:
            frame = closed.rcvd
            return (frame.code, frame.reason) if frame else (None, "")
        raise AssertionError("unreachable")


@asynccontextmanager
async def live_client(base: str, token: str | None = None) -> AsyncIterator[LiveClient]:
    """A connected client; with a token, initialised with it (and acknowledged)."""
    url = base.replace("http://", "ws://") + "/graphql"
    async with connect(
        url, subprotocols=[PROTOCOL], open_timeout=WAIT_SECONDS, additional_headers=ENGLISH
    ) as connection:  # type: ignore[list-item]
        client = LiveClient(connection)
        if token is not None:
            assert await client.init({"Authorization": f"Bearer {token}"}) == {"type": "connection_ack"}
        yield client


def incident_input(region: str, marker: str) -> dict[str, Any]:
    return {
        "region": region_id(region),
        "category": "DEMONSTRATION",
        "severity": "HIGH",
        "occurredAt": (utcnow() - timedelta(hours=1)).isoformat(),
        "title": f"Unjuk rasa {marker}",
        "chronology": "Massa berkumpul di depan kantor bupati dan membubarkan diri dengan tertib.",
        "place": "Kantor bupati",
    }


async def file_incident(client_for: Client, account: Account, region: str) -> str:
    marker = uuid.uuid4().hex[:8]
    result = await gql_field_as(
        client_for, account.token, INCIDENT, {"input": incident_input(region, marker)}
    )
    assert result["errors"] == [], result["errors"]
    report_id: str = result["report"]["id"]
    return report_id


def report_ids(events: list[dict[str, Any]], field: str) -> list[str]:
    return [event[field]["report"]["id"] for event in events]


async def by_operation(client: LiveClient, expected: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Reads until each operation got its expected number of events, then a moment more: nothing else may
    come (the other region's events were all sent before the last expected ones)."""
    received: dict[str, list[dict[str, Any]]] = {name: [] for name in expected}
    while any(len(received[name]) < count for name, count in expected.items()):
        message = await client.receive()
        assert message["type"] == "next" and "errors" not in message["payload"], message
        received[message["id"]].append(message["payload"]["data"])
    try:
        extra = await client.receive(timeout=1.0)
    except TimeoutError:
        return received
    raise AssertionError(f"unexpected event: {extra}")
