from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.i18n import current_language
from hub.notifications.errors import NotificationErrorCode as NotificationErrorCodeModel
from hub.notifications.models import Notification as NotificationModel
from hub.notifications.models import NotificationKind as NotificationKindModel
from hub.notifications.service import own_notifications, unread_count
from hub.notifications.texts import notification_texts
from schema.context import Info
from schema.cost import cost
from schema.describe import ERROR_CODE, ERROR_FIELD, ERROR_MESSAGE, enum_type, error_codes
from schema.fields import field

enum_type(
    NotificationKindModel,
    name="NotificationKind",
    description="What caused a notification.",
    values={
        "SAVED_SEARCH": "One of your saved searches (with `notify`) has new results.",
        "REMINDER": "A report or document your region owes is due soon or overdue.",
        "REPORT_SUBMITTED": "A report you review was submitted and waits for your review.",
        "REPORT_RETURNED": "A report you wrote, or of your region (operators), was returned for revision.",
        "REPORT_VERIFIED": "A report you wrote was verified.",
        "REPORT_EVALUATED": "A report you wrote was evaluated by the centre.",
        "CASE_OPENED": "A case was opened that is assigned to you or lies under your region (coordinators).",
        "CASE_ASSIGNED": "A case was assigned to you, or one under your region (coordinators) was assigned.",
        "CASE_ESCALATED": "A case assigned to you or under your region is overdue and was escalated.",
        "EARLY_WARNING": "A region you lead or lie above (leaders), or any region (central reviewers), has "
        "abnormally many incidents.",
        "REVIEW_WAITING": "A report has waited for your review for days (a reminder).",
        "RETURNED_WAITING": "A returned report you wrote, or of your region, has not been submitted again "
        "for days (a reminder).",
    },
)
error_codes(
    NotificationErrorCodeModel,
    name="NotificationErrorCode",
    noun="notification",
    values={
        "NOTIFICATION_NOT_FOUND": "None of your notifications has this id (others' are never shown).",
        "PERMISSION_DENIED": "Only staff accounts have notifications.",
    },
)
NotificationKind: TypeAlias = NotificationKindModel
NotificationErrorCode: TypeAlias = NotificationErrorCodeModel


@strawberry.type(description="Why a notification mutation did nothing.")
class NotificationError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: NotificationErrorCode = strawberry.field(description=ERROR_CODE)


@strawberry.type(description="An in-app notification for the signed-in user.")
class Notification(relay.Node):
    notification_id: relay.NodeID[str]
    kind: NotificationKind = strawberry.field(description="What caused it.")
    title: str = strawberry.field(description="A line to show, in the language of the request.")
    body: str = strawberry.field(description="The text to show, in the language of the request.")
    created_at: datetime = strawberry.field(description="When it was sent.")
    read_at: datetime | None = strawberry.field(description="When it was marked read; null while unread.")
    updated_at: datetime = strawberry.field(
        description="When anything a reader sees of it last changed: what `updatedSince` compares."
    )
    target_type: strawberry.Private[str | None]
    target_key: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, notification: NotificationModel) -> Notification:
        language = current_language()  # the reader's (schema.security.SpeakLanguage)
        title, body = notification_texts(notification, language)
        return cls(
            notification_id=str(notification.id),
            kind=notification.kind,
            title=title,
            body=body,
            created_at=notification.created_at,
            read_at=notification.read_at,
            updated_at=notification.updated_at,
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
        description="The global id of what it is about (SAVED_SEARCH: a SavedSearch; REMINDER: the "
        "Requirement or draft Report due; REPORT_* and *_WAITING: the Report; CASE_*: the Case; "
        "EARLY_WARNING: the Region); look it up with `node` (null there when you may no longer see it)."
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
