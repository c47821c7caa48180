from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.notifications.errors import NotificationErrorCode as NotificationErrorCodeModel
from hub.notifications.models import Notification as NotificationModel
from hub.notifications.models import NotificationKind as NotificationKindModel
from hub.notifications.service import own_notifications, unread_count
from schema.context import Info
from schema.cost import cost
from schema.fields import field

strawberry.enum(NotificationKindModel, name="NotificationKind", description="What caused a notification.")
strawberry.enum(NotificationErrorCodeModel, name="NotificationErrorCode")
NotificationKind: TypeAlias = NotificationKindModel
NotificationErrorCode: TypeAlias = NotificationErrorCodeModel


@strawberry.type(description="Why a notification mutation did nothing.")
class NotificationError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str
    code: NotificationErrorCode


@strawberry.type(description="An in-app notification for the signed-in user.")
class Notification(relay.Node):
    notification_id: relay.NodeID[str]
    kind: NotificationKind
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None = strawberry.field(description="When it was marked read; null while unread.")
    target_type: strawberry.Private[str | None]
    target_key: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, notification: NotificationModel) -> Notification:
        return cls(
            notification_id=str(notification.id),
            kind=notification.kind,
            title=notification.title,
            body=notification.body,
            created_at=notification.created_at,
            read_at=notification.read_at,
            target_type=notification.target_type,
            target_key=notification.target_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await own_notifications(info.context.principal, list(node_ids))
        return [cls.from_model(item) if item else None for item in found]

    @field(description="Whether it has been marked read.")
    def read(self) -> bool:
        return self.read_at is not None

    @field(
        description="The id of what it is about (for `saved_search`: a SavedSearch; for `reminder`: the "
        "Requirement or draft Report due); look it up with `node`."
    )
    def target_id(self) -> relay.GlobalID | None:
        if self.target_type is None or self.target_key is None:
            return None
        return relay.GlobalID(self.target_type, self.target_key)


@strawberry.type(description="A page of notifications, newest first.")
class NotificationConnection(relay.Connection[Notification]):
    total_count: int = strawberry.field(description="How many match, over all pages.")

    @field(description="How many of the viewer's notifications are unread.", metadata=cost(weight=1))
    async def unread_count(self, info: Info) -> int:
        return await unread_count(info.context.principal)

    @field(description="The notifications of this page, without edges.")
    def nodes(self) -> list[Notification]:
        return [edge.node for edge in self.edges]
