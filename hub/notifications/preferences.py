"""A user's notification preferences: which notifications are also e-mailed (EmailDelivery). Each user sets
their own; the address itself is set with `userEmailSet` (hub.access.contact)."""

from __future__ import annotations

from dataclasses import dataclass

from hub.access.models import User
from hub.access.principal import Principal
from hub.audit.linker import complete
from hub.audit.pending import pending_entry, push_pending
from hub.core.clock import utcnow
from hub.notifications.errors import NotificationError, NotificationErrorCode
from hub.notifications.models import EmailDelivery
from hub.notifications.service import own_user_id


@dataclass(frozen=True)
class Preferences:
    email: EmailDelivery
    has_address: bool


def _of(user: User) -> Preferences:
    try:
        email = EmailDelivery(user.email_delivery)
    except ValueError:
        email = EmailDelivery.REMINDERS
    return Preferences(email=email, has_address=bool(user.email))


async def _user(principal: Principal) -> User:
    user = await User.get(own_user_id(principal))
    if user is None:
        raise NotificationError(NotificationErrorCode.PERMISSION_DENIED, "notifications belong to users")
    return user


async def preferences(principal: Principal) -> Preferences:
    return _of(await _user(principal))


async def set_email_delivery(principal: Principal, email: EmailDelivery) -> Preferences:
    """Sets the principal's own choice; setting the same again changes nothing."""
    user = await _user(principal)
    if user.email_delivery == email.value:
        return _of(user)
    audit = pending_entry(
        principal.actor, "user.email_delivery_set", f"User:{user.id}", {"email_delivery": email.value}
    )
    await User.get_pymongo_collection().update_one(
        {"_id": user.id},
        {
            "$set": {"email_delivery": email.value, "updated_at": utcnow()},
            "$inc": {"version": 1},
            "$push": push_pending(audit),
        },
    )
    await complete(User, user.id, audit)
    return _of(await _user(principal))
