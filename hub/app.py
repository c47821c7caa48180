"""The app factory: the composition root that wires settings, clients, the schema and the task queue."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from hub.access.credentials import configure_password_hashing
from hub.caches import InvalidationListener, invalidation_channel, synced
from hub.clients import Clients, open_clients
from hub.core.paging import configure_cursor_key
from hub.dispatch import TaskDispatcher
from hub.events.listener import Listening
from hub.events.live import LiveRelay, RedisEventSink, live_channel, sinks_installed
from hub.http.disconnects import ClientDisconnects
from hub.http.dispatching import DispatcherPerRequest
from hub.http.exports import export
from hub.http.graphiql import ASSETS_PATH, graphiql_assets
from hub.http.graphql import CONNECTION_INIT_TIMEOUT, PantauGraphQL
from hub.http.limits import BodySizeLimit, MultipartCsrfGuard
from hub.http.observability import MetricsMiddleware
from hub.http.operations import healthz, metrics_endpoint, readyz
from hub.http.report_pdf import ROUTE as REPORT_PDF_ROUTE
from hub.http.report_pdf import report_pdf
from hub.http.sdl import SDL_PATH, SchemaDocument
from hub.http.shares import open_shared
from hub.notifications.fanout import NotifySink
from hub.notifications.live import NotificationRelay, notification_channel
from hub.ratelimit import RatePolicy
from hub.regions.services import keep_region_tree_fresh
from hub.settings import Settings
from schema.schema import build_schema
from search.indices import IndexLayout, ensure_indices_if_reachable
from workers.celery_app import CeleryDispatcher, create_celery
from workers.queues import Queues

log = logging.getLogger(__name__)
# Multipart framing and the other GraphQL fields on top of the file itself.
BODY_OVERHEAD_BYTES = 1024 * 1024


# A request makes tens of thousands of short-lived objects; with Python's default threshold (700) the
# collector runs dozens of times per request, each time also walking what start-up made.
GC_THRESHOLDS = (50_000, 20, 20)


def settle_garbage_collector() -> None:
    """After start-up: what start-up made (modules, the schema, clients) lives as long as the process, so
    it is moved out of the collector's sight (gc.freeze), and the young generation is collected less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def create_app(
    settings: Settings, dispatcher: TaskDispatcher | None = None, shared_clients: Clients | None = None
) -> Starlette:
    """The ASGI app. `shared_clients`: clients the caller opened and will close (several apps in one process
    must share them, because beanie binds its models to one database client per process)."""

    configure_cursor_key(settings.token_secret.encode())
    configure_password_hashing(settings.password_check_concurrency)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        clients = shared_clients or await open_clients(settings)
        try:
            await clients.store.ensure_bucket()
            # Starts in an Elasticsearch outage all the same.
            await ensure_indices_if_reachable(clients.es, settings.es_index_prefix, IndexLayout.of(settings))
            app.state.clients = clients
            app.state.dispatcher = dispatcher or CeleryDispatcher(
                create_celery(settings), Queues.of(settings)
            )
            # Live events: this process publishes the events it emits, and listens once for everyone's.
            channel = live_channel(settings)
            app.state.live = relay = LiveRelay(
                clients.redis, channel, queue_size=settings.subscription_queue_size
            )
            # New notifications, for `notificationAdded` (hub.notifications.live).
            app.state.notifications = notices = NotificationRelay(
                clients.redis, notification_channel(settings), queue_size=settings.subscription_queue_size
            )
            # Cache invalidations: the same, for the caches of reference data (hub.caches).
            invalidations = InvalidationListener(clients.redis, invalidation_channel(settings))
            # One pub/sub connection for the three (hub.events.listener).
            listening = Listening(clients.redis, [relay, notices, invalidations])
            await listening.start()
            if shared_clients is None:  # the app owns its process (a server): tune its collector
                settle_garbage_collector()
            try:
                with (
                    # Events go live, and ask for their notifications (written by a worker).
                    sinks_installed([RedisEventSink(clients.redis, channel), NotifySink()]),
                    synced(clients.redis, settings),
                ):
                    # The region tree stays loaded: requests read their regions from it (hub.regions).
                    keeper = asyncio.create_task(keep_region_tree_fresh())
                    try:
                        yield
                    finally:
                        keeper.cancel()
                        with suppress(asyncio.CancelledError):
                            await keeper
            finally:
                await listening.stop()
        finally:
            if shared_clients is None:
                await clients.close()

    rate_policy = RatePolicy.from_settings(settings)
    schema = build_schema(
        production=settings.is_production,
        max_batch_operations=settings.max_batch_operations,
        max_query_cost=settings.max_query_cost,
        rate_policy=rate_policy,
    )
    graphql = PantauGraphQL(
        schema,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        multipart_uploads_enabled=True,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        connection_init_wait_timeout=CONNECTION_INIT_TIMEOUT,
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
        max_fields_bytes=settings.max_json_body_bytes,
    )
    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint(settings)),
        Route("/exports/{name}.{format}", export),
        Route("/share/{token}", open_shared, methods=["GET"]),
        Route(REPORT_PDF_ROUTE, report_pdf, methods=["GET"]),
        Route(SDL_PATH, SchemaDocument(schema).endpoint, methods=["GET"]),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
    ]
    if settings.graphiql_enabled:
        routes.append(Mount(ASSETS_PATH, graphiql_assets(), name="graphiql"))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.rate_policy = rate_policy  # checked before a request body is read (hub.http.admission)
    app.state.share_requests_per_hour = settings.share_link_requests_per_hour  # hub.http.shares
    app.state.schema = schema  # the exports read their filters through its input types (schema.exporting)
    app.add_middleware(MultipartCsrfGuard)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_json_body_bytes,
        max_multipart_bytes=settings.max_upload_bytes + BODY_OVERHEAD_BYTES,
    )
    app.add_middleware(ClientDisconnects)  # inside the metrics, which count its 499s
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(DispatcherPerRequest)
    return app
