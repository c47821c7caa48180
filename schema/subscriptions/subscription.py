"""The root Subscription type: live events over graphql-transport-ws at /graphql, each filtered by the
subscriber's scope (checked as events arrive, against the connection's current principal) and an optional
region."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from typing import Annotated, TypeVar

import strawberry

from hub.events.live import LiveMessage, LiveRelay, SubscriberOverflow
from hub.events.models import EventKind
from schema import glossary
from schema.context import Info
from schema.error_codes import ClientError, RequestErrorCode
from schema.fields import subscription
from schema.loaders import Loaders
from schema.notifications.live import notifications_added
from schema.notifications.types import Notification
from schema.permissions import IsAuthenticated, IsUser
from schema.regions.code import RegionCode, known_region
from schema.subscriptions.connection import LiveConnection
from schema.subscriptions.transport import MESSAGE
from schema.subscriptions.types import CaseUpdatedEvent, IncidentCreatedEvent, ReportStatusChangedEvent

RegionFilter = Annotated[
    RegionCode | None,
    strawberry.argument(description="Only events of this region and the regions under it, such as `31`."),
]


async def _messages(info: Info, kind: EventKind, region: str | None) -> AsyncGenerator[LiveMessage, None]:
    """Checks the request, then returns the stream (errors here reach the client as the subscription's
    `error` message, before it starts)."""
    connection = info.context.live
    if connection is None:
        raise ClientError(MESSAGE, RequestErrorCode.SUBSCRIPTION_NEEDS_WEBSOCKET)
    code = await known_region(info, region)
    relay: LiveRelay = info.context.request.app.state.live
    return _stream(info, connection, relay, kind, code)


async def _stream(
    info: Info, connection: LiveConnection, relay: LiveRelay, kind: EventKind, region: str | None
) -> AsyncGenerator[LiveMessage, None]:
    def accepts(message: LiveMessage) -> bool:
        if message.kind is not kind or (region is not None and region not in message.region_path):
            return False
        return connection.sees(message)

    subscriber = relay.subscribe(accepts)
    try:
        while True:
            try:
                message = await subscriber.next()
            except SubscriberOverflow as error:
                raise ClientError(str(error), RequestErrorCode.SUBSCRIBER_TOO_SLOW) from None
            if not connection.active():
                return
            if not await connection.still_sees(message):  # a partner's grant, read again
                if not connection.active():
                    return
                continue
            # Fresh loaders for each event: the record is read as it is now, with the current scope.
            info.context.loaders = Loaders(connection.principal.scope)
            yield message
    finally:
        relay.unsubscribe(subscriber)


T = TypeVar("T")


async def _events(
    info: Info, kind: EventKind, region: str | None, build: Callable[[LiveMessage], T]
) -> AsyncIterator[T]:
    messages = await _messages(info, kind, region)
    return _built(messages, build)


async def _built(
    messages: AsyncGenerator[LiveMessage, None], build: Callable[[LiveMessage], T]
) -> AsyncGenerator[T, None]:
    async with aclosing(messages):
        async for message in messages:
            yield build(message)


@strawberry.type(description=glossary.SUBSCRIPTION)
class Subscription:
    # Coroutines that return the stream, not generators: a refused request is answered before it starts.
    @subscription(
        description="Incident reports as they are filed, in your scope.", permission_classes=[IsAuthenticated]
    )
    async def incident_created(
        self,
        info: Info,
        region: RegionFilter = None,
    ) -> AsyncIterator[IncidentCreatedEvent]:
        return await _events(info, EventKind.INCIDENT_CREATED, region, IncidentCreatedEvent.from_message)

    @subscription(
        description="Reports moving along the review path, in your scope.",
        permission_classes=[IsAuthenticated],
    )
    async def report_status_changed(
        self,
        info: Info,
        region: RegionFilter = None,
    ) -> AsyncIterator[ReportStatusChangedEvent]:
        return await _events(
            info, EventKind.REPORT_STATUS_CHANGED, region, ReportStatusChangedEvent.from_message
        )

    @subscription(
        description="Cases opened, followed up, assigned, escalated or resolved, in your scope.",
        permission_classes=[IsAuthenticated],
    )
    async def case_updated(
        self,
        info: Info,
        region: RegionFilter = None,
    ) -> AsyncIterator[CaseUpdatedEvent]:
        return await _events(info, EventKind.CASE_UPDATED, region, CaseUpdatedEvent.from_message)

    @subscription(
        description="Your new notifications as they are written (workflow events, reminders, saved-search "
        "hits): only your own, staff accounts only; titles in the language of the request "
        "(`Accept-Language`), Indonesian by default.",
        permission_classes=[IsUser],
    )
    async def notification_added(self, info: Info) -> AsyncIterator[Notification]:
        return await notifications_added(info)
