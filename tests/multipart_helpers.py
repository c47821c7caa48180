"""Raw multipart bodies for the upload tests: parts written by hand, sent in chunks, and an app wrapper that
counts the request-body bytes the hub reads."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.graphql import PREFLIGHT

BOUNDARY = "pantau-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def part(name: str, value: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"


def closing() -> bytes:
    return f"--{BOUNDARY}--\r\n".encode()


def body(operations: object, files_map: dict[str, list[str]], files: list[tuple[str, str, bytes]]) -> bytes:
    parts = [part("operations", json.dumps(operations).encode()), part("map", json.dumps(files_map).encode())]
    parts += [part(name, data, filename) for name, filename, data in files]
    return b"".join(parts) + closing()


def chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def stream(pieces: Iterable[bytes], failure: Exception | None = None) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece
    if failure is not None:
        raise failure


async def post(http: httpx.AsyncClient, content: AsyncIterator[bytes]) -> httpx.Response:
    """A multipart request sent in chunks, without a Content-Length (as a chunked upload is)."""
    headers = {"Content-Type": MULTIPART, **PREFLIGHT}
    return await http.post("/graphql", content=content, headers=headers)


class BodyCounter:
    """Wraps an ASGI app and counts the request-body bytes it reads (what the server buffered or parsed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.read = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.read += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)
