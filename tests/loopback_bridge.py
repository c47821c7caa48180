"""A byte pipe from one listening address to another, `tcp:HOST:PORT` or `unix:PATH`, for the browser tests:
a browser in a network namespace with nothing but its own loopback reaches the hub through a Unix socket,
which crosses namespaces where TCP cannot.

    python -m tests.loopback_bridge LISTEN TARGET READY_FILE

It writes READY_FILE once it listens, and runs until it is terminated.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _open(address: str) -> Streams:
    kind, _, rest = address.partition(":")
    if kind == "unix":
        return await asyncio.open_unix_connection(rest)
    host, _, port = rest.rpartition(":")
    return await asyncio.open_connection(host, int(port))


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        with contextlib.suppress(ConnectionError, OSError):
            writer.close()


async def _bridge(listen: str, target: str, ready: Path) -> None:
    async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await _open(target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pump(reader, upstream_writer), _pump(upstream_reader, writer))

    kind, _, rest = listen.partition(":")
    if kind == "unix":
        server = await asyncio.start_unix_server(connected, rest)
    else:
        host, _, port = rest.rpartition(":")
        server = await asyncio.start_server(connected, host, int(port))
    await asyncio.to_thread(ready.write_text, "listening\n")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    listen_at, target_at, ready_file = sys.argv[1:4]
    asyncio.run(_bridge(listen_at, target_at, Path(ready_file)))
