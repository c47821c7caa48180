"""Read access to the region tree."""

from __future__ import annotations

import asyncio
import logging
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
    if not isinstance(code, str):
        return None
    return (await get_regions([code])).get(code)


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
    """Regions by code, from the process's cached tree (read again when it has expired); a code the tree
    does not hold (a region added since) is read from MongoDB."""
    fresh = _fresh_tree()
    tree = fresh[1] if fresh is not None else _by_code(await reload_region_tree())
    return await _picked(tree, codes)


async def _picked(tree: dict[str, Region], codes: list[str]) -> dict[str, Region]:
    """The regions of these codes from `tree`, and those it lacks from MongoDB in one query."""
    wanted = {code for code in codes if isinstance(code, str)}
    found = {code: tree[code] for code in wanted if code in tree}
    if len(found) < len(wanted):
        read = await Region.find({"_id": {"$in": [code for code in wanted if code not in found]}}).to_list()
        found |= _by_code(read)
    return found


def _by_code(regions: list[Region]) -> dict[str, Region]:
    return {region.id: region for region in regions}


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


class _Trees:
    """Per database: when the tree was read, every region ordered by code, and the same by code. Each drop
    moves `generation`, so that a read that started before a change does not put the old tree back."""

    def __init__(self) -> None:
        self.by_database: dict[str, tuple[float, list[Region], dict[str, Region]]] = {}
        self.generation = 0

    def clear(self) -> None:
        self.generation += 1
        self.by_database.clear()


_trees = _Trees()
caches.register(REGION_TREE_CACHE, _trees.clear)
log = logging.getLogger(__name__)


def _fresh_tree() -> tuple[list[Region], dict[str, Region]] | None:
    cached = _trees.by_database.get(Region.get_pymongo_collection().database.name)
    if cached is not None and time.monotonic() - cached[0] < caches.max_age_seconds():
        return cached[1], cached[2]
    return None


async def reload_region_tree() -> list[Region]:
    """Reads the whole tree, and keeps it unless the tree was dropped (changed) while it was being read."""
    now, generation = time.monotonic(), _trees.generation
    regions = await Region.find_all().sort("_id").to_list()
    if generation == _trees.generation:
        _trees.by_database[Region.get_pymongo_collection().database.name] = (now, regions, _by_code(regions))
    return regions


async def region_tree() -> list[Region]:
    """Every region, ordered by code, cached per database: reference data that bulk reports read whole. A
    change is announced to every process (forget_region_tree); the cache also expires (hub.caches)."""
    fresh = _fresh_tree()
    return fresh[0] if fresh is not None else await reload_region_tree()


async def regions_from_tree(codes: list[str]) -> dict[str, Region]:
    """Regions by code as get_regions answers them, from the cached tree when it is fresh: a page of records
    names a handful of regions, and reading them for every request costs more than the page's own query.
    A code the tree does not hold (a region added since) is read from MongoDB; without a fresh tree, all
    are. The tree is not read here: keep_region_tree_fresh does that, off the requests, so that a request
    costs the same queries whenever it comes."""
    fresh = _fresh_tree()
    return await _picked(fresh[1] if fresh is not None else {}, codes)


async def keep_region_tree_fresh() -> None:
    """Runs until cancelled (an API process's lifetime): reads the tree at once and again every half of the
    cache's age limit, so that it never expires under regions_from_tree. A change dropped from the cache
    (forget_region_tree) sends requests to MongoDB until the next read here."""
    while True:
        try:
            await reload_region_tree()
        except Exception as error:  # MongoDB unreachable for now: requests read it themselves meanwhile
            log.warning("the region tree was not reloaded: %r", error)
        await asyncio.sleep(caches.max_age_seconds() / 2)


async def forget_region_tree() -> None:
    """After a change to the tree (seeding, an island flag), the next reader reloads it, in every process."""
    await caches.invalidate(REGION_TREE_CACHE)
