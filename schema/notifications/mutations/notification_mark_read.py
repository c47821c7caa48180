from __future__ import annotations

import strawberry
from strawberry import relay

from hub.notifications.errors import NotificationError as DomainNotificationError
from hub.notifications.errors import NotificationErrorCode as NotificationErrorCodeModel
from hub.notifications.service import mark_read
from schema.context import Info
from schema.notifications.types import Notification, NotificationError, NotificationErrorCode


def notification_errors(error: DomainNotificationError) -> list[NotificationError]:
    return [
        NotificationError(field=error.field, message=error.message, code=NotificationErrorCode(error.code))
    ]


@strawberry.type
class NotificationMarkReadPayload:
    notification: Notification | None
    errors: list[NotificationError]


async def notification_mark_read(info: Info, id: relay.GlobalID) -> NotificationMarkReadPayload:
    """Mark one of your notifications read; marking it again changes nothing."""
    try:
        if id.type_name != "Notification":
            raise DomainNotificationError(
                NotificationErrorCodeModel.NOTIFICATION_NOT_FOUND,
                "`id` must be the id of a Notification",
                "id",
            )
        notification = await mark_read(info.context.principal, id.node_id)
    except DomainNotificationError as error:
        return NotificationMarkReadPayload(notification=None, errors=notification_errors(error))
    return NotificationMarkReadPayload(notification=Notification.from_model(notification), errors=[])
