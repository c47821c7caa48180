"""The GraphQL endpoint: Strawberry's view over HTTP and WebSocket, with multipart uploads streamed
(hub.http.uploads) and each request's context built from its bearer token.

Responses follow the GraphQL-over-HTTP specification (hub.http.graphql_over_http: the media type the client
accepts and its status codes); GraphiQL is served from the hub's own bundle in development
(hub.http.graphiql).

An HTTP request is admitted (hub.http.admission: who may send multipart, whether the caller's budget is spent)
while its context is built, which Strawberry does before it reads the body. Refusals are JSON errors with a
code (hub.http.refusals), multipart ones included.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from hub.access.authenticate import authenticate
from hub.clients import Clients
from hub.http.admission import admit_budget, admit_upload, is_multipart
from hub.http.client_address import client_address
from hub.http.graphiql import graphiql_page
from hub.http.graphql_over_http import negotiate_status, refused_over_http, response_media_type, shape_result
from hub.http.multipart import MAX_FIELDS_BYTES
from hub.http.refusals import RequestRefused
from hub.http.uploads import (
    StreamingRequestAdapter,
    drop_multipart,
    finish_multipart,
    parse_streamed_multipart,
)
from hub.i18n import Language, negotiate
from schema.context import Context
from schema.subscriptions.connection import open_connection

# How long a WebSocket may stay open before it authenticates with `connection_init`.
CONNECTION_INIT_TIMEOUT = timedelta(seconds=15)


def _language(request: Request | WebSocket) -> Language:
    return negotiate(request.headers.get("accept-language"))


def connection_language(params: dict[str, object] | None, fallback: Language) -> Language:
    """The language a `connection_init` payload asks for (`Accept-Language`, any case), else `fallback`."""
    for name, value in (params or {}).items():
        if name.lower() in {"accept-language", "acceptlanguage"} and isinstance(value, str):
            return negotiate(value)
    return fallback


class PantauGraphQL(GraphQL[Context, None]):
    """Strawberry's view with multipart uploads streamed (hub.http.uploads): resolvers read each file
    while it arrives, and the rest of the body is read once the operation has run."""

    request_adapter_class = StreamingRequestAdapter

    def __init__(self, *args: Any, max_fields_bytes: int = MAX_FIELDS_BYTES, **kwargs: Any) -> None:
        """`max_fields_bytes`: the budget of a multipart body's text fields (`operations`, `map`) together."""
        super().__init__(*args, **kwargs)
        self.max_fields_bytes = max_fields_bytes

    def encode_json(self, data: object) -> bytes:
        """Responses with orjson: several times faster than the standard library on long lists (the same
        JSON, with UTF-8 where the standard library escapes). What it cannot encode falls back to json."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return json.dumps(data, separators=(",", ":")).encode()

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        operations: dict[str, str] = await parse_streamed_multipart(
            request, self.parse_json, self.max_fields_bytes
        )
        return operations

    async def run(  # type: ignore[override]
        self, request: Request | WebSocket, context: Context = UNSET, root_value: None = UNSET
    ) -> Response | WebSocket:
        if isinstance(request, WebSocket):
            if context is UNSET:
                # Made here, so that the connection's checks (schema.subscriptions.connection) stop with it.
                context = await self.get_context(request, request)
            try:
                return await super().run(request, context, root_value)
            finally:
                if context is not UNSET and context.live is not None:
                    await context.live.close()
        try:
            try:
                response = await super().run(request, context, root_value)
            except Exception:
                await drop_multipart(request)  # the first failure is the one told
                raise
            await finish_multipart(request)
        except RequestRefused as refusal:
            return refusal.response(_language(request))
        except HTTPException as error:
            if not is_multipart(request):
                return refused_over_http(request, error)
            return RequestRefused(error.status_code, "BAD_REQUEST", error.reason).response(_language(request))
        return response

    # ---- GraphQL over HTTP (hub.http.graphql_over_http): media type and status codes ----

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        return sub_response

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        return shape_result(request, result, await super().process_result(request, result))

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        return negotiate_status(response, response_data, sub_response.media_type)

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql_page(request)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """graphql-transport-ws `connection_init`: authenticates its token or closes the socket (4403). Its
        payload may name the language (`Accept-Language`, as the header: browsers cannot set a WebSocket's
        headers); else the upgrade request's header counts."""
        context.language = connection_language(context.connection_params, context.language)
        await open_connection(context, context.clients.settings)
        acknowledged: UnsetType = UNSET  # an acknowledgement without a payload
        return acknowledged

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        state = request.app.state
        clients: Clients = state.clients
        address = client_address(request, clients.settings.trusted_proxy_networks)
        if isinstance(request, WebSocket):
            # Anonymous until `connection_init` brings a token (on_ws_connect).
            return Context(
                request=request,
                response=None,
                clients=clients,
                dispatcher=state.dispatcher,
                client_address=address,
                language=_language(request),
            )
        authentication = await authenticate(clients.settings, request.headers.get("authorization"))
        # Before the body is read: Strawberry builds the context first.
        if is_multipart(request):
            admit_upload(authentication.principal, authentication.error)
        await admit_budget(request, authentication.principal, state.rate_policy, clients.redis, spend=False)
        return Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            clients=clients,
            dispatcher=state.dispatcher,
            principal=authentication.principal,
            auth_error=authentication.error,
            client_address=address,
            language=_language(request),
        )
