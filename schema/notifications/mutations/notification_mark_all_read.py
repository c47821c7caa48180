from __future__ import annotations

import strawberry

from hub.notifications.errors import NotificationError as DomainNotificationError
from hub.notifications.service import mark_all_read
from schema.context import Info
from schema.describe import ERRORS
from schema.notifications.mutations.notification_mark_read import notification_errors
from schema.notifications.types import NotificationError


@strawberry.type(description="What `notificationMarkAllRead` answers.")
class NotificationMarkAllReadPayload:
    marked_count: int = strawberry.field(description="How many unread notifications were marked read.")
    errors: list[NotificationError] = strawberry.field(description=ERRORS)


async def notification_mark_all_read(info: Info) -> NotificationMarkAllReadPayload:
    """Mark every unread notification of yours read."""
    try:
        marked = await mark_all_read(info.context.principal)
    except DomainNotificationError as error:
        return NotificationMarkAllReadPayload(marked_count=0, errors=notification_errors(error))
    return NotificationMarkAllReadPayload(marked_count=marked, errors=[])
