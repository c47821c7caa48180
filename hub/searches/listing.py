"""A user's own saved searches: by name, in keyset pages, and by id for node lookups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from beanie import SortDirection

from hub.access.principal import Principal, PrincipalKind
from hub.core.ids import object_id
from hub.core.paging import Keyset, Page, Position
from hub.searches.models import SavedSearch
from hub.searches.rules import owner_id
from hub.sync.since import listing_keyset, since_criteria

# Names are unique per user, so the name alone is a stable order.
SAVED_SEARCHES_BY_NAME = Keyset("saved-searches", (("name_key", SortDirection.ASCENDING),))


def saved_searches_order(updated_since: datetime | None) -> Keyset:
    """SAVED_SEARCHES_BY_NAME, or the sync order when the listing is asked for changes (hub.sync.since)."""
    return listing_keyset("saved-searches", updated_since, SAVED_SEARCHES_BY_NAME)


async def list_saved_searches(
    principal: Principal, *, after: Position | None, first: int, updated_since: datetime | None = None
) -> Page[SavedSearch]:
    """The principal's saved searches (changed since `updated_since`, when given), in
    `saved_searches_order`."""
    criteria: dict[str, Any] = {"user_id": owner_id(principal), **since_criteria(updated_since)}
    return await saved_searches_order(updated_since).page(SavedSearch, criteria, after, first)


async def own_saved_searches(principal: Principal, ids: list[str]) -> list[SavedSearch | None]:
    """By id, in order: None for another user's (and for any lookup by a partner)."""
    if principal.kind is not PrincipalKind.USER:
        return [None] * len(ids)
    wanted = [oid for oid in (object_id(value) for value in ids) if oid is not None]
    found = await SavedSearch.find({"_id": {"$in": wanted}, "user_id": owner_id(principal)}).to_list()
    by_id = {str(item.id): item for item in found}
    return [by_id.get(value) for value in ids]
