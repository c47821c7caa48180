from __future__ import annotations

import strawberry

from hub.core.paging import page_size
from hub.regions.services import REGIONS_BY_CODE, list_regions
from schema.connection import connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.regions.types import Region, RegionConnection, RegionLevel


@strawberry.type
class RegionQueries:
    @field(
        description="One region by its official code, such as `31` or `31.71`.",
        permission_classes=[IsAuthenticated],
    )
    async def region(self, info: Info, code: str) -> Region | None:
        found = await info.context.loaders.region.load(code.strip())
        return Region.from_model(found) if found else None

    @field(
        description="Regions ordered by code, filtered by parent code and level.",
        permission_classes=[IsAuthenticated],
    )
    async def regions(
        self,
        parent: str | None = None,
        level: RegionLevel | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> RegionConnection:
        page = await list_regions(
            parent=parent, level=level, after=REGIONS_BY_CODE.position(after), first=page_size(first)
        )
        return connection(
            RegionConnection, page, Region.from_model, cursor=REGIONS_BY_CODE.cursor, after=after
        )
