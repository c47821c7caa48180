"""In-app reminders: one notification per responsible user, thing and stage, ever."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from hub.access.models import User
from hub.access.roles import Role
from hub.i18n import Text
from hub.notifications.models import Notification, NotificationKind
from hub.notifications.service import NotificationDraft, notify
from hub.reminders.due import DueItem, Stage

# Who answers for a region's deliveries: its own operators and coordinators (not those of the regions above).
RESPONSIBLE_ROLES = (Role.OPERATOR.value, Role.COORDINATOR.value)
KEY_CHUNK = 500


def notification_key(item: DueItem, user_id: object) -> str:
    return f"reminder:{item.stage.value}:{item.thing}:{user_id}"


def draft(item: DueItem, user: User) -> NotificationDraft:
    assert user.id is not None
    due = f"{item.due_at:%Y-%m-%d %H:%M} UTC"
    region = f"{item.region.name} ({item.region.id})"
    stage = "overdue" if item.stage is Stage.OVERDUE else "due_soon"
    return NotificationDraft(
        user_id=user.id,
        kind=NotificationKind.REMINDER,
        title=Text(f"notice.reminder.{stage}.title", what=item.what),
        body=Text(f"notice.reminder.{stage}.body", what=item.what, region=region, due=due),
        key=notification_key(item, user.id),
        target_type=item.target_type,
        target_id=item.target_id,
    )


async def responsible_users(region_codes: Iterable[str]) -> dict[str, list[User]]:
    users = await User.find(
        {
            "active": True,
            "role": {"$in": list(RESPONSIBLE_ROLES)},
            "region_code": {"$in": sorted(set(region_codes))},
        }
    ).to_list()
    grouped: dict[str, list[User]] = defaultdict(list)
    for user in users:
        grouped[user.region_code].append(user)
    return grouped


async def _known(keys: list[str]) -> set[str]:
    known: set[str] = set()
    collection = Notification.get_pymongo_collection()
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        async for raw in collection.find({"key": {"$in": chunk}}, projection={"key": 1}):
            known.add(str(raw["key"]))
    return known


async def notify_due(items: list[DueItem]) -> int:
    """Notifies each responsible user of each item once; returns how many notifications were written."""
    users = await responsible_users(item.region.id for item in items)
    drafts = [draft(item, user) for item in items for user in users.get(item.region.id, [])]
    known = await _known([each.key for each in drafts])
    written = 0
    for each in drafts:
        if each.key not in known and await notify(each) is not None:
            written += 1
    return written
