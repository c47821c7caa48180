from __future__ import annotations

from typing import TypeAlias

import strawberry
from strawberry import relay

from hub.regions.errors import RegionError as DomainRegionError
from hub.regions.errors import RegionErrorCode as RegionErrorCodeModel
from hub.regions.services import set_island
from schema.context import Info
from schema.mutations import MutationErrors
from schema.regions.types import Region

strawberry.enum(RegionErrorCodeModel, name="RegionErrorCode")
RegionErrorCode: TypeAlias = RegionErrorCodeModel


@strawberry.type(description="Why a region mutation did nothing.")
class RegionError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str
    code: RegionErrorCode


REGION_ERRORS = MutationErrors(DomainRegionError, RegionError)


@strawberry.type
class RegionIslandSetPayload:
    region: Region | None
    errors: list[RegionError]


async def region_island_set(info: Info, id: relay.GlobalID, island: bool) -> RegionIslandSetPayload:
    """Mark a region as an island region or not (admins only): election logistics are due a week earlier
    there. The shipped list is a heuristic; a flag set here is kept when the regions are seeded again."""
    actor = info.context.principal.actor
    try:
        code = REGION_ERRORS.raw_id(id, "Region", RegionErrorCodeModel.REGION_NOT_FOUND)
        region, _ = await set_island(code, island, actor=actor)
    except DomainRegionError as error:
        return RegionIslandSetPayload(region=None, errors=REGION_ERRORS.typed(error))
    return RegionIslandSetPayload(region=Region.from_model(region), errors=[])
