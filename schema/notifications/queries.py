from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from hub.core.ids import object_id
from hub.notifications.models import Notification as NotificationModel
from hub.notifications.service import NotificationPosition, list_notifications
from schema.context import Info
from schema.fields import field
from schema.notifications.types import Notification, NotificationConnection
from schema.pagination import PaginationError, decode_cursor, encode_cursor, page_size
from schema.permissions import IsUser

CURSOR_KIND = "notification"


def _cursor(notification: NotificationModel) -> str:
    return encode_cursor(CURSOR_KIND, f"{notification.created_at.isoformat()}|{notification.id}")


def _position(cursor: str) -> NotificationPosition:
    moment, _, raw_id = decode_cursor(CURSOR_KIND, cursor).partition("|")
    oid = object_id(raw_id)
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        oid = None
    if oid is None:
        raise PaginationError(f"the cursor {cursor!r} is not valid here")
    return NotificationPosition(created_at=at, id=oid)


@strawberry.type
class NotificationQueries:
    @field(description="The signed-in user's own notifications, newest first.", permission_classes=[IsUser])
    async def notifications(
        self, info: Info, unread_only: bool = False, first: int | None = 20, after: str | None = None
    ) -> NotificationConnection:
        principal = info.context.principal
        size = page_size(first)
        page = await list_notifications(
            principal, unread_only=unread_only, after=_position(after) if after else None, first=size
        )
        edges = [relay.Edge(cursor=_cursor(item), node=Notification.from_model(item)) for item in page.items]
        return NotificationConnection(
            edges=edges,
            total_count=page.total_count,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
