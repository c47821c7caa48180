"""A user's own saved searches: by name, in keyset pages, and by id for node lookups."""

from __future__ import annotations

from typing import Any

from beanie import SortDirection

from hub.access.principal import Principal, PrincipalKind
from hub.core.ids import object_id
from hub.core.paging import Keyset, Page, Position
from hub.searches.models import SavedSearch
from hub.searches.rules import owner_id

# Names are unique per user, so the name alone is a stable order.
SAVED_SEARCHES_BY_NAME = Keyset("saved-searches", (("name_key", SortDirection.ASCENDING),))


async def list_saved_searches(
    principal: Principal, *, after: Position | None, first: int
) -> Page[SavedSearch]:
    """The principal's saved searches ordered by name (SAVED_SEARCHES_BY_NAME)."""
    criteria: dict[str, Any] = {"user_id": owner_id(principal)}
    return await SAVED_SEARCHES_BY_NAME.page(SavedSearch, criteria, after, first)


async def own_saved_searches(principal: Principal, ids: list[str]) -> list[SavedSearch | None]:
    """By id, in order: None for another user's (and for any lookup by a partner)."""
    if principal.kind is not PrincipalKind.USER:
        return [None] * len(ids)
    wanted = [oid for oid in (object_id(value) for value in ids) if oid is not None]
    found = await SavedSearch.find({"_id": {"$in": wanted}, "user_id": owner_id(principal)}).to_list()
    by_id = {str(item.id): item for item in found}
    return [by_id.get(value) for value in ids]
