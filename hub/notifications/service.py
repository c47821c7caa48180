"""Writing notifications (idempotent by key), listing a user's own, and marking them read.

Producers (the saved-search check here; reminders and the like later) call `notify` with a key that names the
event; a second call with the same key writes nothing. Users only ever see and change their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from beanie import PydanticObjectId, SortDirection
from pymongo.errors import DuplicateKeyError

from hub.access.principal import Principal, PrincipalKind
from hub.access.scope import scope_to_mongo
from hub.audit.linker import complete, complete_many
from hub.audit.pending import pending_entry, push_pending
from hub.core.clock import storable_time
from hub.core.ids import object_id
from hub.core.paging import Keyset, Page, Position
from hub.i18n import Text
from hub.notifications.errors import NotificationError, NotificationErrorCode
from hub.notifications.models import Notification, NotificationKind
from hub.sync.since import listing_keyset, since_criteria


@dataclass(frozen=True)
class NotificationDraft:
    """`title` and `body`: texts of the catalog, rendered in each reader's language (sharing parameters), or
    plain strings shown as they are."""

    user_id: PydanticObjectId
    kind: NotificationKind
    title: str | Text
    body: str | Text
    key: str
    target_type: str | None = None
    target_id: str | None = None
    params: dict[str, str] | None = None
    region_path: tuple[str, ...] = ()


NOTIFICATIONS_NEWEST = Keyset(
    "notifications", (("created_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING))
)


def _now() -> datetime:
    return storable_time(datetime.now(UTC))


def _read_now() -> dict[str, datetime]:
    """Marking read is a change the owner's other devices sync."""
    now = _now()
    return {"read_at": now, "updated_at": now}


def own_user_id(principal: Principal) -> PydanticObjectId:
    user_id = object_id(principal.id or "") if principal.kind is PrincipalKind.USER else None
    if user_id is None:
        raise NotificationError(NotificationErrorCode.PERMISSION_DENIED, Text("notifications.users_only"))
    return user_id


async def notify(draft: NotificationDraft) -> Notification | None:
    """Writes the notification, or nothing (None) when its key was notified already."""
    now = _now()
    params = {
        name: str(value)
        for text in (draft.title, draft.body)
        if isinstance(text, Text)
        for name, value in text.params.items()
    }
    notification = Notification(
        user_id=draft.user_id,
        kind=draft.kind,
        title=str(draft.title),
        body=str(draft.body),
        title_key=draft.title.key if isinstance(draft.title, Text) else None,
        body_key=draft.body.key if isinstance(draft.body, Text) else None,
        text_params=params,
        key=draft.key,
        target_type=draft.target_type,
        target_id=draft.target_id,
        params=dict(draft.params or {}),
        region_path=list(draft.region_path),
        created_at=now,
        updated_at=now,
    )
    try:
        await notification.insert()
    except DuplicateKeyError:
        return None
    return notification


def _criteria(principal: Principal, unread_only: bool) -> dict[str, Any]:
    """The principal's own notifications, and of those about a record only the ones whose record lies in its
    scope now (an account moved to another region no longer reads what it was told of the old one)."""
    criteria: dict[str, Any] = {"user_id": own_user_id(principal)}
    if unread_only:
        criteria["read_at"] = None
    in_scope = scope_to_mongo(principal.scope)
    if in_scope:
        about_no_record = [{"region_path": {"$exists": False}}, {"region_path": {"$size": 0}}]
        criteria["$or"] = [*about_no_record, in_scope]
    return criteria


def notifications_order(updated_since: datetime | None) -> Keyset:
    """NOTIFICATIONS_NEWEST, or the sync order when the listing is asked for changes (hub.sync.since)."""
    return listing_keyset("notifications", updated_since, NOTIFICATIONS_NEWEST)


async def list_notifications(
    principal: Principal,
    *,
    unread_only: bool,
    after: Position | None,
    first: int,
    updated_since: datetime | None = None,
) -> Page[Notification]:
    """The principal's own notifications (changed since `updated_since`, when given), in
    `notifications_order`."""
    criteria = {**_criteria(principal, unread_only), **since_criteria(updated_since)}
    return await notifications_order(updated_since).page(Notification, criteria, after, first)


async def unread_count(principal: Principal) -> int:
    return await Notification.find(_criteria(principal, unread_only=True)).count()


async def own_notifications(principal: Principal, ids: list[str]) -> list[Notification | None]:
    """By id, in order; another user's notification (or a partner's lookup) is None."""
    if principal.kind is not PrincipalKind.USER:
        return [None] * len(ids)
    wanted = [oid for oid in (object_id(value) for value in ids) if oid is not None]
    found = await Notification.find({"_id": {"$in": wanted}, **_criteria(principal, False)}).to_list()
    by_id = {str(item.id): item for item in found}
    return [by_id.get(value) for value in ids]


async def mark_read(principal: Principal, notification_id: str) -> Notification:
    """Marks one of the principal's notifications read; marking it again changes nothing."""
    own_user_id(principal)  # partners and jobs have none: PERMISSION_DENIED before anything else
    oid = object_id(notification_id)
    missing = NotificationError(
        NotificationErrorCode.NOTIFICATION_NOT_FOUND, Text("notifications.notification_not_found"), "id"
    )
    if oid is None:
        raise missing
    mine = {"_id": oid, **_criteria(principal, unread_only=False)}
    notification = await Notification.find_one(mine)
    if notification is None:
        raise missing
    if notification.read_at is None:
        audit = pending_entry(
            principal.actor,
            "notification.mark_read",
            f"Notification:{notification.id}",
            {"kind": notification.kind.value},
        )
        changed = await Notification.get_pymongo_collection().update_one(
            {**mine, "read_at": None}, {"$set": _read_now(), "$push": push_pending(audit)}
        )
        if changed.modified_count:
            await complete(Notification, notification.id, audit)
        notification = await Notification.find_one(mine) or notification
    return notification


async def mark_all_read(principal: Principal) -> int:
    """Marks every unread notification of the principal read; returns how many were."""
    user_id = own_user_id(principal)
    collection = Notification.get_pymongo_collection()
    unread = [
        raw["_id"]
        for raw in await collection.find({"user_id": user_id, "read_at": None}, {"_id": 1}).to_list()
    ]
    if not unread:
        return 0
    # One entry for the lot, written into each notification it marks: linked once (its id is unique), it
    # leaves every one of them. `count`: those unread when read; one marked read meanwhile by its own
    # mutation is recorded there.
    audit = pending_entry(
        principal.actor, "notification.mark_all_read", f"User:{user_id}", {"count": len(unread)}
    )
    result = await collection.update_many(
        {"_id": {"$in": unread}, "read_at": None}, {"$set": _read_now(), "$push": push_pending(audit)}
    )
    if result.modified_count:
        marked = await collection.find(
            {"_id": {"$in": unread}, "audit_pending.id": audit.id}, {"_id": 1}
        ).to_list()
        await complete_many(Notification, [raw["_id"] for raw in marked], audit)
    return int(result.modified_count)
