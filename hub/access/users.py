"""User accounts: created, deactivated and re-roled by admins (or the first admin from the command line)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from beanie import PydanticObjectId, SortDirection
from bson.errors import InvalidId
from pymongo.errors import DuplicateKeyError

from hub.access import credential_cache
from hub.access.credentials import new_password_hash, password_problem
from hub.access.errors import AccessError, AccessErrorCode
from hub.access.models import Session, User
from hub.access.principal import Principal, PrincipalKind
from hub.access.roles import NATIONAL_ROLES, Role
from hub.access.scope import Scope, scope_to_mongo
from hub.audit.linker import complete, complete_insert
from hub.audit.pending import SYSTEM_ACTOR, PendingAudit, attach_pending, pending_entry, push_pending
from hub.core.clock import utcnow
from hub.core.paging import Keyset, Page, Position
from hub.i18n import Text
from hub.regions.models import Region, RegionLevel
from hub.regions.services import get_region

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")


def _user_id(value: str) -> PydanticObjectId:
    try:
        return PydanticObjectId(value)
    except (InvalidId, TypeError, ValueError):
        raise AccessError(AccessErrorCode.USER_NOT_FOUND, Text("access.user_not_found"), "id") from None


async def _home_region(role: Role, region_code: str) -> Region:
    region = await get_region(region_code)
    if region is None:
        raise AccessError(
            AccessErrorCode.REGION_NOT_FOUND,
            Text("access.region_not_found", region_code=region_code),
            "region",
        )
    national = region.level is RegionLevel.NATIONAL
    if role in NATIONAL_ROLES and not national:
        raise AccessError(
            AccessErrorCode.INVALID_ROLE_FOR_REGION,
            Text("access.role_national", role=role.value),
            "region",
        )
    if role in {Role.OPERATOR, Role.COORDINATOR} and national:
        raise AccessError(
            AccessErrorCode.INVALID_ROLE_FOR_REGION,
            Text("access.role_regional", role=role.value),
            "region",
        )
    return region


async def create_user(
    *,
    username: str,
    password: str,
    role: Role,
    region_code: str,
    agency: str | None = None,
    full_name: str | None = None,
    actor: str = SYSTEM_ACTOR,
) -> User:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccessError(
            AccessErrorCode.INVALID_USERNAME,
            Text("access.invalid_username"),
            "username",
        )
    problem = password_problem(password, name)
    if problem:
        raise AccessError(AccessErrorCode.WEAK_PASSWORD, problem, "password")
    region = await _home_region(role, region_code)
    user = User(
        username=name,
        password_hash=await new_password_hash(password),
        role=role,
        region_code=region.id,
        region_path=region.subtree_codes,
        agency=agency,
        full_name=full_name,
    )
    audit = attach_pending(
        user,
        actor,
        "user.create",
        "User",
        {
            "username": user.username,
            "role": user.role.value,
            "region": user.region_code,
            "agency": user.agency,
        },
    )
    try:
        await user.insert()
    except DuplicateKeyError:
        raise AccessError(
            AccessErrorCode.USERNAME_TAKEN, Text("access.username_taken", name=name), "username"
        ) from None
    await complete_insert(user, audit)
    return user


async def get_user(user_id: str) -> User:
    user = await User.get(_user_id(user_id))
    if user is None:
        raise AccessError(AccessErrorCode.USER_NOT_FOUND, Text("access.user_not_found"), "id")
    return user


async def _update(user: User, changes: dict[str, object], audit: PendingAudit) -> User:
    """Applies changes, with their audit entry, only if nobody changed the user since it was read
    (optimistic concurrency)."""
    result = await User.get_pymongo_collection().update_one(
        {"_id": user.id, "version": user.version},
        {"$set": {**changes, "updated_at": utcnow()}, "$inc": {"version": 1}, "$push": push_pending(audit)},
    )
    if result.modified_count != 1:
        raise AccessError(AccessErrorCode.CONFLICT, Text("access.user_conflict"))
    await complete(User, user.id, audit)
    await credential_cache.forget_credentials()  # a role, region or deactivation: tokens read afresh
    fresh = await User.get(user.id)
    assert fresh is not None
    return fresh


async def revoke_sessions_of(user_id: PydanticObjectId, reason: str) -> None:
    await Session.get_pymongo_collection().update_many(
        {"user_id": user_id, "revoked_at": None}, {"$set": {"revoked_at": utcnow(), "revoked_reason": reason}}
    )
    await credential_cache.forget_credentials()


async def deactivate_user(user_id: str, *, actor: str = SYSTEM_ACTOR) -> User:
    user = await get_user(user_id)
    audit = pending_entry(actor, "user.deactivate", f"User:{user.id}", {"active": False})
    updated = await _update(user, {"active": False}, audit)
    await revoke_sessions_of(user.id, "user deactivated")  # type: ignore[arg-type]
    return updated


async def change_role(
    user_id: str, role: Role, region_code: str | None = None, *, actor: str = SYSTEM_ACTOR
) -> User:
    user = await get_user(user_id)
    region = await _home_region(role, region_code or user.region_code)
    audit = pending_entry(
        actor, "user.role_change", f"User:{user.id}", {"role": role.value, "region": region.id}
    )
    return await _update(
        user, {"role": role.value, "region_code": region.id, "region_path": region.subtree_codes}, audit
    )


def users_visible_to(viewer: Principal) -> dict[str, Any]:
    """The accounts a viewer may see, as a MongoDB filter: admins all, other users those in their scope,
    partners and anonymous callers none."""
    if viewer.is_admin:
        return {}
    if viewer.kind is not PrincipalKind.USER:
        return scope_to_mongo(Scope.nothing())
    return scope_to_mongo(viewer.scope)


def may_see_account(viewer: Principal, account: User) -> bool:
    """One account against `users_visible_to`: admins see all, other users those in their scope, partners
    none."""
    if viewer.is_admin:
        return True
    if viewer.kind is not PrincipalKind.USER:
        return False
    return viewer.scope.covers(account.region_path)


async def visible_actor_names(viewer: Principal, actors: Iterable[str]) -> dict[str, str]:
    """Stored actors (`user:<username>`) the viewer may see, mapped to their username, in one query; jobs of
    the hub and accounts out of sight are left out."""
    names = {actor.removeprefix("user:") for actor in actors if actor.startswith("user:")}
    if not names:
        return {}
    found = await User.find({"username": {"$in": sorted(names)}}).to_list()
    return {f"user:{user.username}": user.username for user in found if may_see_account(viewer, user)}


USERS_BY_NAME = Keyset("users", (("username", SortDirection.ASCENDING),))


async def list_users(viewer: Principal, *, after: Position | None, first: int) -> Page[User]:
    """A page of the accounts the viewer may see, ordered by username (USERS_BY_NAME)."""
    return await USERS_BY_NAME.page(User, users_visible_to(viewer), after, first)
