"""The app factory: the composition root that wires settings, clients, the schema and the task queue."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from cross_web import AsyncHTTPRequestAdapter
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from hub.access.authenticate import authenticate
from hub.clients import Clients, open_clients
from hub.dispatch import TaskDispatcher
from hub.events.live import LiveRelay, RedisEventSink, live_channel, sinks_installed
from hub.exports.http import export
from hub.graphql_uploads import StreamingRequestAdapter, finish_multipart, parse_streamed_multipart
from hub.limits import BodySizeLimit, MultipartCsrfGuard
from hub.observability import MetricsMiddleware, metrics
from hub.ratelimit import RatePolicy
from hub.settings import Settings
from schema.context import Context
from schema.schema import build_schema
from schema.subscriptions.connection import open_connection
from search.indices import ensure_indices_if_reachable
from workers.celery_app import CeleryDispatcher, create_celery

log = logging.getLogger(__name__)
# Multipart framing and the other GraphQL fields on top of the file itself.
BODY_OVERHEAD_BYTES = 1024 * 1024
# How long a WebSocket may stay open before it authenticates with `connection_init`.
CONNECTION_INIT_TIMEOUT = timedelta(seconds=15)


class PantauGraphQL(GraphQL[Context, None]):
    """Strawberry's view with multipart uploads streamed (hub.graphql_uploads): resolvers read each file
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


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    clients: Clients = request.app.state.clients
    checks = await clients.readiness()
    failing = {name: reason for name, reason in checks.items() if reason is not None}
    body: dict[str, Any] = {
        "status": "ready" if not failing else "unavailable",
        "services": {
            name: "ok" if reason is None else f"unreachable: {reason}" for name, reason in checks.items()
        },
    }
    return JSONResponse(body, status_code=200 if not failing else 503)


def create_app(
    settings: Settings, dispatcher: TaskDispatcher | None = None, shared_clients: Clients | None = None
) -> Starlette:
    """The ASGI app. `shared_clients`: clients the caller opened and will close (several apps in one process
    must share them, because beanie binds its models to one database client per process)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        clients = shared_clients or await open_clients(settings)
        try:
            await clients.store.ensure_bucket()
            await ensure_indices_if_reachable(clients.es, settings.es_index_prefix)  # starts in an ES outage
            app.state.clients = clients
            app.state.dispatcher = dispatcher or CeleryDispatcher(
                create_celery(settings), settings.celery_queue
            )
            # Live events: this process publishes the events it emits, and listens once for everyone's.
            channel = live_channel(settings)
            app.state.live = relay = LiveRelay(
                clients.redis, channel, queue_size=settings.subscription_queue_size
            )
            await relay.start()
            try:
                with sinks_installed([RedisEventSink(clients.redis, channel)]):
                    yield
            finally:
                await relay.stop()
        finally:
            if shared_clients is None:
                await clients.close()

    graphql = PantauGraphQL(
        build_schema(
            production=settings.is_production,
            max_batch_operations=settings.max_batch_operations,
            rate_policy=RatePolicy.from_settings(settings),
        ),
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        multipart_uploads_enabled=True,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        connection_init_wait_timeout=CONNECTION_INIT_TIMEOUT,
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
    )
    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/exports/{name}.{format}", export),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(MultipartCsrfGuard)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_json_body_bytes,
        max_multipart_bytes=settings.max_upload_bytes + BODY_OVERHEAD_BYTES,
    )
    app.add_middleware(MetricsMiddleware)
    return app
