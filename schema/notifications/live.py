"""`notificationAdded`: the signed-in user's new notifications over graphql-transport-ws. Only the owner's
own arrive (the relay is keyed by user id), each read again as the connection's current principal before it
is delivered, so a notification is never shown to anyone else, and a closed connection delivers nothing."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from hub.notifications.live import NotificationRelay, Overflow
from hub.notifications.service import own_notifications
from schema.context import Info
from schema.error_codes import ClientError, RequestErrorCode
from schema.notifications.types import Notification
from schema.subscriptions.connection import LiveConnection
from schema.subscriptions.transport import MESSAGE


async def notifications_added(info: Info) -> AsyncGenerator[Notification, None]:
    """Checks the request, then returns the stream (a refusal reaches the client before it starts)."""
    connection = info.context.live
    if connection is None:
        raise ClientError(MESSAGE, RequestErrorCode.SUBSCRIPTION_NEEDS_WEBSOCKET)
    relay: NotificationRelay = info.context.request.app.state.notifications
    return _stream(connection, relay, str(connection.principal.id))


async def _stream(
    connection: LiveConnection, relay: NotificationRelay, user_id: str
) -> AsyncGenerator[Notification, None]:
    subscriber = relay.subscribe(user_id)
    try:
        while True:
            try:
                added = await subscriber.next()
            except Overflow as error:
                raise ClientError(str(error), RequestErrorCode.SUBSCRIBER_TOO_SLOW) from None
            if not connection.active():
                return
            [found] = await own_notifications(connection.principal, [added.notification_id])
            if found is not None:
                yield Notification.from_model(found)
    finally:
        relay.unsubscribe(subscriber)
