"""A client that goes away before it has sent its whole request body (a load generator giving up, a browser
tab closed mid-upload) is not a server error: Starlette raises ClientDisconnect from the body read, which
would otherwise leave the app as an exception (logged at ERROR, answered 500 and counted so).

`ClientDisconnects` turns it into a quiet outcome: an INFO line, and the status 499 ("client closed request",
nginx's convention) handed to the server, which drops it — nobody is there to read it — while the metrics
middleware around it counts the request under `status="499"`. Streamed multipart bodies report the same
event as hub.http.multipart.ClientGone (a ClientDisconnect too), so an upload's resolver treats it as the
client's doing rather than an unexpected error.
"""

from __future__ import annotations

import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.http.responses import WatchedSend

log = logging.getLogger(__name__)

CLIENT_CLOSED_REQUEST = 499


class ClientDisconnects:
    """ASGI middleware: a ClientDisconnect out of the app ends the request quietly with status 499."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watched = WatchedSend(send)
        try:
            await self.app(scope, receive, watched)
        except ClientDisconnect:
            log.info("client closed %s %s before its request body ended", scope["method"], scope["path"])
            if not watched.started:
                # The server drops it (its client is gone); the middleware outside counts the status.
                await send({"type": "http.response.start", "status": CLIENT_CLOSED_REQUEST, "headers": []})
                await send({"type": "http.response.body", "body": b""})
