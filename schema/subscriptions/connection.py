"""A WebSocket connection's authentication: the token comes in `connection_init`, and is checked again while
the connection stays open.

- `connection_init` carries `{"Authorization": "Bearer <token>"}` or `{"token": "<token>"}` (an access token
  or a partner token; read by hub.access.authenticate, as every token is). Without one, or with one that does
  not authenticate, the connection is refused: the socket closes with 4403 before any subscription starts.
  The upgrade request's own headers are not read: browsers cannot set them, and one rule is simpler to audit.
- While open, the token is authenticated again every `PANTAU_SUBSCRIPTION_RECHECK_SECONDS`, and at the moment
  it expires. Once it fails (access token or partner grant expired, session revoked, account deactivated,
  grant revoked) the connection is marked closed, no event is delivered any more, and the socket closes with
  4403 and the reason; clients reconnect with a fresh token (graphql-ws clients retry on 4403). A changed role
  or home region takes effect at the next check. An outage of the database during a check keeps the last
  principal until the next check.
- A partner grant is also read again before each event is delivered (one read by id): a rotated token, a
  revoked, narrowed or expired grant stops its events at once, not at the next periodic check.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from starlette.websockets import WebSocket, WebSocketState
from strawberry.exceptions import ConnectionRejectionError

from hub.access.authenticate import Authentication, authenticate_token, connection_token
from hub.access.visibility import sees_event
from hub.events.live import LiveMessage
from hub.i18n import render
from hub.settings import Settings
from schema.context import Context
from schema.loaders import Loaders

log = logging.getLogger(__name__)
CLOSE_FORBIDDEN = 4403
# A check woken by the token's expiry runs just after it, so that the expired token fails.
EXPIRY_MARGIN_SECONDS = 0.5
# Checks never follow each other faster than this (a database outage past the token's expiry).
MIN_CHECK_SECONDS = 1.0
MAX_CLOSE_REASON = 120


class LiveConnection:
    def __init__(
        self, context: Context, settings: Settings, token: str, authentication: Authentication
    ) -> None:
        self.context = context
        self.settings = settings
        self.token = token
        self.principal = authentication.principal
        self.expires_at = authentication.expires_at
        self.open = True
        self._watchdog: asyncio.Task[None] | None = None

    @property
    def websocket(self) -> WebSocket | None:
        request = self.context.request
        return request if isinstance(request, WebSocket) else None

    def active(self) -> bool:
        """Whether events may still be delivered: open, and the token not past its expiry."""
        if self.open and self.expires_at is not None and self.expires_at <= datetime.now(UTC):
            self.open = False
        return self.open

    def sees(self, message: LiveMessage) -> bool:
        """Whether the event may be delivered: open, and the principal may see it (hub.access.visibility)."""
        return self.active() and sees_event(self.principal.scope, message)

    async def still_sees(self, message: LiveMessage) -> bool:
        """Whether the event may be delivered now: for a partner, after reading its grant again (closing the
        connection when the token no longer authenticates); for staff, as of the last periodic check."""
        if not self.principal.is_partner:
            return self.sees(message)
        try:
            authentication = await authenticate_token(self.settings, self.token)
        except Exception as error:
            log.warning("live connection: grant check failed (%r); keeping the last one", error)
            return self.sees(message)
        if not authentication.principal.is_authenticated:
            await self.close(_reason(authentication))
            return False
        self._refresh(authentication)
        return self.sees(message)

    def start(self) -> None:
        self._watchdog = asyncio.create_task(self._watch(), name="pantau-live-auth")

    async def close(self, reason: str | None = None) -> None:
        """Stops the checks; with a reason, also closes the socket (4403)."""
        self.open = False
        task, self._watchdog = self._watchdog, None
        # Awaited without swallowing a cancellation of the caller, and cancelled again should a library
        # have swallowed the first.
        while task is not None and task is not asyncio.current_task() and not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
        websocket = self.websocket
        if reason is not None and websocket is not None:
            with contextlib.suppress(Exception):
                if websocket.application_state is WebSocketState.CONNECTED:
                    await websocket.close(code=CLOSE_FORBIDDEN, reason=reason[:MAX_CLOSE_REASON])

    def _next_check_in(self) -> float:
        delay = self.settings.subscription_recheck_seconds
        if self.expires_at is not None:
            until_expiry = (self.expires_at - datetime.now(UTC)).total_seconds() + EXPIRY_MARGIN_SECONDS
            delay = min(delay, until_expiry)
        return max(delay, MIN_CHECK_SECONDS)

    async def _watch(self) -> None:
        while self.open:
            await asyncio.sleep(self._next_check_in())
            try:
                authentication = await authenticate_token(self.settings, self.token)
            except Exception as error:
                log.warning("live connection: token check failed (%r); keeping it until the next", error)
                continue
            if not authentication.principal.is_authenticated:
                await self.close(_reason(authentication))
                return
            self._refresh(authentication)

    def _refresh(self, authentication: Authentication) -> None:
        principal = authentication.principal
        if principal != self.principal:
            self.principal = principal
            self.context.principal = principal
            self.context.loaders = Loaders(principal.scope)
        self.expires_at = authentication.expires_at


def _reason(authentication: Authentication) -> str:
    error = authentication.error
    return f"{error.code.value}: {error.message}" if error else "UNAUTHENTICATED"


async def open_connection(context: Context, settings: Settings) -> None:
    """Authenticates `connection_init`, or raises ConnectionRejectionError (the socket closes with 4403)."""
    token = connection_token(context.connection_params)
    if token is None:
        raise ConnectionRejectionError(
            {"code": "UNAUTHENTICATED", "message": render("request.connection_init_token", context.language)}
        )
    authentication = await authenticate_token(settings, token)
    if not authentication.principal.is_authenticated:
        error = authentication.error
        message = f"{error.code.value}: {error.localized(context.language)}" if error else "UNAUTHENTICATED"
        raise ConnectionRejectionError({"code": "UNAUTHENTICATED", "message": message})
    principal = authentication.principal
    context.principal = principal
    context.auth_error = None
    context.loaders = Loaders(principal.scope)
    connection = LiveConnection(context, settings, token, authentication)
    context.live = connection
    connection.start()
