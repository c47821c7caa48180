"""Read access to the region tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.regions.errors import RegionError, RegionErrorCode
from hub.regions.models import Region, RegionLevel


@dataclass(frozen=True)
class RegionPage:
    items: list[Region]
    total_count: int
    has_next_page: bool


async def get_region(code: str) -> Region | None:
    return await Region.find_one({"_id": code})


async def get_regions(codes: list[str]) -> dict[str, Region]:
    """Regions by code in one query, for DataLoaders."""
    found = await Region.find({"_id": {"$in": list(set(codes))}}).to_list()
    return {region.id: region for region in found}


async def children_of(parent_codes: list[str]) -> dict[str, list[Region]]:
    """Direct children of each parent, ordered by code, in one query."""
    found = await Region.find({"parent_code": {"$in": list(set(parent_codes))}}).sort("_id").to_list()
    grouped: dict[str, list[Region]] = {code: [] for code in parent_codes}
    for region in found:
        if region.parent_code is not None:
            grouped.setdefault(region.parent_code, []).append(region)
    return grouped


async def list_regions(
    *, parent: str | None = None, level: RegionLevel | None = None, after: str | None = None, first: int
) -> RegionPage:
    """Regions ordered by code, keyset-paginated after a code."""
    criteria: dict[str, Any] = {}
    if parent is not None:
        criteria["parent_code"] = parent
    if level is not None:
        criteria["level"] = level.value
    total = await Region.find(criteria).count()
    page_criteria = {**criteria, "_id": {"$gt": after}} if after is not None else criteria
    items = await Region.find(page_criteria).sort("_id").limit(first + 1).to_list()
    return RegionPage(items=items[:first], total_count=total, has_next_page=len(items) > first)


async def set_island(code: str, island: bool, *, actor: str) -> tuple[Region, bool]:
    """Set a region's island flag by hand (seeding keeps it); returns the region and the previous flag."""
    region = await get_region(code)
    if region is None:
        raise RegionError(RegionErrorCode.REGION_NOT_FOUND, f"no region has the code {code!r}", "id")
    await Region.get_pymongo_collection().update_one(
        {"_id": region.id}, {"$set": {"island": island, "island_set_by": actor}}
    )
    updated = await get_region(region.id)
    assert updated is not None
    return updated, region.island
