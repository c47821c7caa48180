"""The drill's one address in front of the API processes (infra.drill.proxy): connections alternate between
the backends, and a backend that refuses connections (its process was killed) is skipped."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import Awaitable, Callable

from infra.drill.proxy import HOST, serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


async def named_backend(name: bytes) -> tuple[asyncio.Server, int]:
    """Answers every connection with its name and the bytes it received."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received = await reader.readexactly(4)
        writer.write(name + b":" + received)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, HOST, 0)
    return server, int(server.sockets[0].getsockname()[1])


async def ask(port: int) -> bytes:
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(b"ping")
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer


async def until(condition: Callable[[], Awaitable[bool]]) -> None:
    for _ in range(500):
        if await condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the proxy did not start listening")


async def test_round_robin_and_a_dead_backend_is_skipped() -> None:
    first, first_port = await named_backend(b"a")
    second, second_port = await named_backend(b"b")
    dead_port = free_port()  # nothing listens there
    port = free_port()
    proxy = asyncio.create_task(serve(port, [first_port, second_port, dead_port]))

    async def listening() -> bool:
        try:
            _, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            return False
        writer.close()
        return True

    try:
        await until(listening)  # that probe took the first backend's turn
        answers = [await ask(port) for _ in range(6)]
    finally:
        proxy.cancel()
        for server in (first, second):
            server.close()
    assert all(answer.endswith(b":ping") for answer in answers)
    # Turns b, dead (→ a), a, b, dead (→ a), a: every request answered, the dead backend never.
    assert Counter(answer[:1] for answer in answers) == Counter({b"a": 4, b"b": 2})
