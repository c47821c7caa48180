"""The GraphQL endpoint: Strawberry's view over HTTP and WebSocket, with multipart uploads streamed
(hub.http.uploads) and each request's context built from its bearer token."""

from __future__ import annotations

from datetime import timedelta

from cross_web import AsyncHTTPRequestAdapter
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.types.unset import UNSET, UnsetType

from hub.access.authenticate import authenticate
from hub.clients import Clients
from hub.http.uploads import StreamingRequestAdapter, finish_multipart, parse_streamed_multipart
from schema.context import Context
from schema.subscriptions.connection import open_connection

# How long a WebSocket may stay open before it authenticates with `connection_init`.
CONNECTION_INIT_TIMEOUT = timedelta(seconds=15)


class PantauGraphQL(GraphQL[Context, None]):
    """Strawberry's view with multipart uploads streamed (hub.http.uploads): resolvers read each file
    while it arrives, and the rest of the body is read once the operation has run."""

    request_adapter_class = StreamingRequestAdapter

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        operations: dict[str, str] = await parse_streamed_multipart(request, self.parse_json)
        return operations

    async def run(  # type: ignore[override]
        self, request: Request | WebSocket, context: Context = UNSET, root_value: None = UNSET
    ) -> Response | WebSocket:
        if isinstance(request, WebSocket) and context is UNSET:
            # Made here, so that the connection's checks (schema.subscriptions.connection) stop with it.
            context = await self.get_context(request, request)
        try:
            return await super().run(request, context, root_value)
        finally:
            if isinstance(request, Request):
                await finish_multipart(request)
            elif context is not UNSET and context.live is not None:
                await context.live.close()

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """graphql-transport-ws `connection_init`: authenticates its token or closes the socket (4403)."""
        await open_connection(context, context.clients.settings)
        acknowledged: UnsetType = UNSET  # an acknowledgement without a payload
        return acknowledged

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        state = request.app.state
        clients: Clients = state.clients
        if isinstance(request, WebSocket):
            # Anonymous until `connection_init` brings a token (on_ws_connect).
            return Context(request=request, response=None, clients=clients, dispatcher=state.dispatcher)
        authentication = await authenticate(clients.settings, request.headers.get("authorization"))
        return Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            clients=clients,
            dispatcher=state.dispatcher,
            principal=authentication.principal,
            auth_error=authentication.error,
        )
