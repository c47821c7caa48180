from __future__ import annotations

from typing import Annotated

import strawberry

from hub.notifications.service import list_notifications, notifications_order
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.fields import field
from schema.notifications.types import Notification, NotificationConnection
from schema.permissions import IsUser
from schema.sync.arguments import UpdatedSince


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
        updated_since: UpdatedSince = None,
    ) -> NotificationConnection:
        keyset = notifications_order(updated_since)
        position, size = keyset.window(first=first, after=after, last=last, before=before)
        page = await list_notifications(
            info.context.principal,
            unread_only=unread_only,
            after=position,
            first=size,
            updated_since=updated_since,
        )
        return connection(NotificationConnection, page, Notification.from_model, cursor=keyset.cursor)
