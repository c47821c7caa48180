"""Each request (HTTP or WebSocket) runs with its app's task dispatcher (hub.dispatch.dispatching), so the
domain can ask for follow-up work, such as indexing a changed report, without any caller passing the
dispatcher along. Set per request rather than per process: two apps in one process keep theirs apart."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from hub.dispatch import dispatching


class DispatcherPerRequest:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        dispatcher = getattr(scope["app"].state, "dispatcher", None) if "app" in scope else None
        if scope["type"] not in ("http", "websocket") or dispatcher is None:
            await self.app(scope, receive, send)
            return
        with dispatching(dispatcher):
            await self.app(scope, receive, send)
