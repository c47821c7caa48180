"""A user's e-mail address, where reminders also go. Admins set anyone's; users their own."""

from __future__ import annotations

import re

from beanie import PydanticObjectId
from bson.errors import InvalidId

from hub.access.errors import AccessError, AccessErrorCode
from hub.access.models import User
from hub.access.principal import Principal, PrincipalKind
from hub.audit.linker import complete
from hub.audit.pending import pending_entry, push_pending
from hub.core.clock import utcnow
from hub.i18n import Text

MAX_EMAIL_LENGTH = 254
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


def normalise_email(email: str | None) -> str | None:
    """The address as stored (None clears it); AccessError when it is not one."""
    if email is None or not email.strip():
        return None
    address = email.strip()
    if len(address) > MAX_EMAIL_LENGTH or not EMAIL.fullmatch(address):
        raise AccessError(AccessErrorCode.INVALID_EMAIL, Text("access.invalid_email"), "email")
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


async def set_email(principal: Principal, user_id: str, email: str | None) -> tuple[User, str | None]:
    """Sets or clears the address; returns the user and the previous address."""
    own = principal.kind is PrincipalKind.USER and principal.id == user_id
    if not (own or principal.is_admin):
        raise AccessError(AccessErrorCode.PERMISSION_DENIED, Text("access.email_admin_only"))
    address = normalise_email(email)
    try:
        user = await User.get(PydanticObjectId(user_id))
    except (InvalidId, TypeError, ValueError):
        user = None
    if user is None:
        raise AccessError(AccessErrorCode.USER_NOT_FOUND, Text("access.user_not_found"), "id")
    if address == user.email:
        return user, user.email
    audit = pending_entry(principal.actor, "user.email_set", f"User:{user.id}", {"email": address})
    await User.get_pymongo_collection().update_one(
        {"_id": user.id},
        {
            "$set": {"email": address, "updated_at": utcnow()},
            "$inc": {"version": 1},
            "$push": push_pending(audit),
        },
    )
    await complete(User, user.id, audit)
    updated = await User.get(user.id)
    assert updated is not None
    return updated, user.email
