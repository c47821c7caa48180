"""One address in front of the API processes: a TCP round-robin proxy (`python -m infra.drill.proxy PORT
BACKEND_PORT...`). A connection goes to the next backend that accepts it; one that refuses (its process was
killed) is skipped, so clients see at most the requests that were in flight on it."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys

HOST = "127.0.0.1"


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def serve(port: int, backends: list[int]) -> None:
    turn = itertools.cycle(range(len(backends)))

    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        first = next(turn)
        for offset in range(len(backends)):
            backend = backends[(first + offset) % len(backends)]
            try:
                reader, writer = await asyncio.open_connection(HOST, backend)
            except OSError:
                continue
            await asyncio.gather(_pipe(client_reader, writer), _pipe(reader, client_writer))
            return
        client_writer.close()

    server = await asyncio.start_server(handle, HOST, port, backlog=256)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), [int(arg) for arg in sys.argv[2:]]))
