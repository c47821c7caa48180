from __future__ import annotations

import strawberry

from hub.core.paging import page_size
from hub.notifications.service import NOTIFICATIONS_NEWEST, list_notifications
from schema.connection import connection
from schema.context import Info
from schema.fields import field
from schema.notifications.types import Notification, NotificationConnection
from schema.permissions import IsUser


@strawberry.type
class NotificationQueries:
    @field(description="The signed-in user's own notifications, newest first.", permission_classes=[IsUser])
    async def notifications(
        self, info: Info, unread_only: bool = False, first: int | None = 20, after: str | None = None
    ) -> NotificationConnection:
        size = page_size(first)
        page = await list_notifications(
            info.context.principal,
            unread_only=unread_only,
            after=NOTIFICATIONS_NEWEST.position(after),
            first=size,
        )
        return connection(
            NotificationConnection,
            page,
            Notification.from_model,
            cursor=NOTIFICATIONS_NEWEST.cursor,
            after=after,
        )
