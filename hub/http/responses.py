"""What the middleware around the app needs to know of the answer it passes on: whether it has started (a
middleware that turns an exception into an answer of its own may do so only before) and its status."""

from __future__ import annotations

from starlette.types import Message, Send


class WatchedSend:
    """An ASGI `send` that passes every message on and remembers the response's start."""

    __slots__ = ("_send", "status")

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status: int | None = None  # None until the response has started

    @property
    def started(self) -> bool:
        return self.status is not None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
        await self._send(message)
