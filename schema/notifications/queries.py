from __future__ import annotations

from typing import Annotated

import strawberry

from hub.notifications.service import NOTIFICATIONS_NEWEST, list_notifications
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.fields import field
from schema.notifications.types import Notification, NotificationConnection
from schema.permissions import IsUser


@strawberry.type
class NotificationQueries:
    @field(description="The signed-in user's own notifications, newest first.", permission_classes=[IsUser])
    async def notifications(
        self,
        info: Info,
        unread_only: Annotated[bool, strawberry.argument(description="Only those not marked read.")] = False,
        first: First = 20,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> NotificationConnection:
        position, size = NOTIFICATIONS_NEWEST.window(first=first, after=after, last=last, before=before)
        page = await list_notifications(
            info.context.principal, unread_only=unread_only, after=position, first=size
        )
        return connection(
            NotificationConnection, page, Notification.from_model, cursor=NOTIFICATIONS_NEWEST.cursor
        )
