from __future__ import annotations

from typing import Annotated

import strawberry

from hub.regions.services import REGIONS_BY_CODE, list_regions
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.regions.code import RegionCode, known_region
from schema.regions.types import Region, RegionConnection, RegionLevel


@strawberry.type
class RegionQueries:
    @field(
        description="One region by its official code, such as `31` or `31.71` (or its global id); null when "
        "no region has it.",
        permission_classes=[IsAuthenticated],
    )
    async def region(
        self,
        info: Info,
        code: Annotated[RegionCode, strawberry.argument(description="The region's official code.")],
    ) -> Region | None:
        found = await info.context.loaders.region.load(code)
        return Region.from_model(found) if found else None

    @field(
        description="Regions ordered by code, filtered by parent and level.",
        permission_classes=[IsAuthenticated],
    )
    async def regions(
        self,
        info: Info,
        parent: Annotated[
            RegionCode | None, strawberry.argument(description="Only the regions directly under this one.")
        ] = None,
        level: Annotated[
            RegionLevel | None, strawberry.argument(description="Only the regions of this tier.")
        ] = None,
        first: First = 50,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> RegionConnection:
        position, size = REGIONS_BY_CODE.window(
            first=first, after=after, last=last, before=before, default=50
        )
        page = await list_regions(
            parent=await known_region(info, parent, "parent"), level=level, after=position, first=size
        )
        return connection(
            RegionConnection, page, Region.from_model, cursor=REGIONS_BY_CODE.cursor, after=after
        )
