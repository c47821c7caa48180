"""Read access to the region tree."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from beanie import SortDirection

from hub import caches
from hub.audit.linker import complete
from hub.audit.pending import pending_entry, push_pending
from hub.core.paging import Keyset, Page, Position
from hub.core.regions import mongo_under
from hub.i18n import Text
from hub.regions.errors import RegionError, RegionErrorCode
from hub.regions.models import Region, RegionLevel

REGIONS_BY_CODE = Keyset("regions", (("_id", SortDirection.ASCENDING),))


async def get_region(code: str) -> Region | None:
    """The region of this code, from the process's cached tree (region_tree): reference data that every
    listing's filter and every record's `region` field look up. Treat it as read-only."""
    return (await _indexed_tree()).get(code) if isinstance(code, str) else None


async def under_region(
    code: str | None, *, refuse: Callable[[str], Exception] | None = None
) -> dict[str, Any]:
    """Every listing's region filter: the MongoDB clause for records of the region with this code and of every
    region under it ({} without a code). With `refuse`, a code no region has raises `refuse(message)`;
    without, it matches nothing."""
    if code is None:
        return {}
    code = code.strip()
    if refuse is not None and await get_region(code) is None:
        raise refuse(f"no region has the code {code!r}")
    return mongo_under(code)


async def get_regions(codes: list[str]) -> dict[str, Region]:
    """Regions by code, for DataLoaders, from the process's cached tree (region_tree)."""
    tree = await _indexed_tree()
    return {code: tree[code] for code in set(codes) if isinstance(code, str) and code in tree}


async def children_of(parent_codes: list[str]) -> dict[str, list[Region]]:
    """Direct children of each parent, ordered by code, in one query."""
    found = await Region.find({"parent_code": {"$in": list(set(parent_codes))}}).sort("_id").to_list()
    grouped: dict[str, list[Region]] = {code: [] for code in parent_codes}
    for region in found:
        if region.parent_code is not None:
            grouped.setdefault(region.parent_code, []).append(region)
    return grouped


async def list_regions(
    *, parent: str | None = None, level: RegionLevel | None = None, after: Position | None = None, first: int
) -> Page[Region]:
    """Regions ordered by code (REGIONS_BY_CODE), filtered by parent and level."""
    criteria: dict[str, Any] = {}
    if parent is not None:
        criteria["parent_code"] = parent
    if level is not None:
        criteria["level"] = level.value
    return await REGIONS_BY_CODE.page(Region, criteria, after, first)


async def set_island(code: str, island: bool, *, actor: str) -> tuple[Region, bool]:
    """Set a region's island flag by hand (seeding keeps it); returns the region and the previous flag."""
    region = await get_region(code)
    if region is None:
        raise RegionError(RegionErrorCode.REGION_NOT_FOUND, Text("regions.region_not_found", code=code), "id")
    audit = pending_entry(
        actor, "region.island_set", f"Region:{region.id}", {"island": island, "previous": region.island}
    )
    await Region.get_pymongo_collection().update_one(
        {"_id": region.id}, {"$set": {"island": island, "island_set_by": actor}, "$push": push_pending(audit)}
    )
    await complete(Region, region.id, audit)
    await forget_region_tree()
    updated = await get_region(region.id)
    assert updated is not None
    return updated, region.island


REGION_TREE_CACHE = "regions.tree"
_tree: dict[str, tuple[float, list[Region], dict[str, Region]]] = {}
caches.register(REGION_TREE_CACHE, _tree.clear)


async def _cached_tree() -> tuple[list[Region], dict[str, Region]]:
    """Every region, ordered by code and by code, cached per database. A change is announced to every process
    (forget_region_tree); the cache also expires (hub.caches)."""
    database = Region.get_pymongo_collection().database.name
    cached = _tree.get(database)
    now = time.monotonic()
    if cached is not None and now - cached[0] < caches.max_age_seconds():
        return cached[1], cached[2]
    regions = await Region.find_all().sort("_id").to_list()
    _tree[database] = (now, regions, {region.id: region for region in regions})
    return regions, _tree[database][2]


async def region_tree() -> list[Region]:
    """Every region, ordered by code (cached, read-only): reference data that bulk reports read whole."""
    return (await _cached_tree())[0]


async def _indexed_tree() -> dict[str, Region]:
    return (await _cached_tree())[1]


async def forget_region_tree() -> None:
    """After a change to the tree (seeding, an island flag), the next reader reloads it, in every process."""
    await caches.invalidate(REGION_TREE_CACHE)
