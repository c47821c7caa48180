"""A user's own saved searches: by name, in keyset pages, and by id for node lookups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.access.principal import Principal, PrincipalKind
from hub.core.ids import object_id
from hub.searches.models import SavedSearch
from hub.searches.rules import owner_id


@dataclass(frozen=True)
class SavedSearchPage:
    items: list[SavedSearch]
    total_count: int
    has_next_page: bool


async def list_saved_searches(principal: Principal, *, after: str | None, first: int) -> SavedSearchPage:
    """The principal's saved searches ordered by name; `after` is the name key a page ended at (names are
    unique per user, so it is a stable position)."""
    criteria: dict[str, Any] = {"user_id": owner_id(principal)}
    total = await SavedSearch.find(criteria).count()
    if after is not None:
        criteria["name_key"] = {"$gt": after}
    items = await SavedSearch.find(criteria).sort("name_key").limit(first + 1).to_list()
    return SavedSearchPage(items=items[:first], total_count=total, has_next_page=len(items) > first)


async def own_saved_searches(principal: Principal, ids: list[str]) -> list[SavedSearch | None]:
    """By id, in order: None for another user's (and for any lookup by a partner)."""
    if principal.kind is not PrincipalKind.USER:
        return [None] * len(ids)
    wanted = [oid for oid in (object_id(value) for value in ids) if oid is not None]
    found = await SavedSearch.find({"_id": {"$in": wanted}, "user_id": owner_id(principal)}).to_list()
    by_id = {str(item.id): item for item in found}
    return [by_id.get(value) for value in ids]
