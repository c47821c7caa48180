from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.notifications.errors import NotificationError as DomainNotificationError
from hub.notifications.errors import NotificationErrorCode as NotificationErrorCodeModel
from hub.notifications.service import mark_read
from schema.context import Info
from schema.describe import ERRORS
from schema.mutations import MutationErrors
from schema.notifications.types import Notification, NotificationError

NOTIFICATION_ERRORS = MutationErrors(DomainNotificationError, NotificationError)
notification_errors = NOTIFICATION_ERRORS.typed


@strawberry.type(description="What `notificationMarkRead` answers.")
class NotificationMarkReadPayload:
    notification: Notification | None = strawberry.field(description="The notification, now read.")
    errors: list[NotificationError] = strawberry.field(description=ERRORS)


async def notification_mark_read(
    info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The notification's id.")]
) -> NotificationMarkReadPayload:
    """Mark one of your notifications read; marking it again changes nothing."""
    try:
        notification_id = NOTIFICATION_ERRORS.raw_id(
            id, "Notification", NotificationErrorCodeModel.NOTIFICATION_NOT_FOUND
        )
        notification = await mark_read(info.context.principal, notification_id)
    except DomainNotificationError as error:
        return NotificationMarkReadPayload(notification=None, errors=notification_errors(error))
    return NotificationMarkReadPayload(notification=Notification.from_model(notification), errors=[])
