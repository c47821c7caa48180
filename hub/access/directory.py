"""Looking up accounts and partner grants as the viewer may see them: users by id (admins all, other users
those in their scope, partners none) and grants (admins only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from beanie import SortDirection

from hub.access.models import PartnerGrant, User
from hub.access.principal import Principal
from hub.access.users import users_visible_to
from hub.core.ids import object_ids
from hub.core.paging import Keyset, Page, Position


def _in_order(ids: Sequence[str], found: Sequence[Any]) -> list[Any]:
    by_id = {str(item.id): item for item in found}
    return [by_id.get(value) for value in ids]


async def visible_users(principal: Principal, ids: Sequence[str]) -> list[User | None]:
    """By id, in order, in one query; None where the viewer may not see the user (or there is none)."""
    if not principal.is_authenticated or principal.is_partner:
        return [None] * len(ids)
    criteria = {"$and": [{"_id": {"$in": object_ids(ids)}}, users_visible_to(principal)]}
    return _in_order(ids, await User.find(criteria).to_list())


async def visible_grants(principal: Principal, ids: Sequence[str]) -> list[PartnerGrant | None]:
    """By id, in order, in one query; only admins see grants."""
    if not principal.is_admin:
        return [None] * len(ids)
    return _in_order(ids, await PartnerGrant.find({"_id": {"$in": object_ids(ids)}}).to_list())


GRANTS_NEWEST = Keyset(
    "partner-grants", (("created_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING))
)


async def list_grants(*, include_revoked: bool, after: Position | None, first: int) -> Page[PartnerGrant]:
    """A page of partner grants, newest first (GRANTS_NEWEST)."""
    criteria: dict[str, Any] = {} if include_revoked else {"revoked_at": None}
    return await GRANTS_NEWEST.page(PartnerGrant, criteria, after, first)
