from __future__ import annotations

import strawberry
from strawberry import relay

from hub.regions.services import list_regions
from schema.context import Info
from schema.fields import field
from schema.pagination import decode_cursor, encode_cursor, page_size
from schema.permissions import IsAuthenticated
from schema.regions.types import Region, RegionConnection, RegionLevel

CURSOR_KIND = "region"


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
        size = page_size(first)
        after_code = decode_cursor(CURSOR_KIND, after) if after else None
        page = await list_regions(parent=parent, level=level, after=after_code, first=size)
        edges = [
            relay.Edge(cursor=encode_cursor(CURSOR_KIND, region.id), node=Region.from_model(region))
            for region in page.items
        ]
        return RegionConnection(
            edges=edges,
            total_count=page.total_count,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
