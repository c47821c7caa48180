from __future__ import annotations

from typing import Annotated, TypeAlias

import strawberry

from hub.regions.errors import RegionError as DomainRegionError
from hub.regions.errors import RegionErrorCode as RegionErrorCodeModel
from hub.regions.services import set_island
from schema.context import Info
from schema.describe import ERROR_CODE, ERROR_FIELD, ERROR_MESSAGE, ERRORS, error_codes
from schema.mutations import MutationErrors
from schema.regions.code import RegionCode
from schema.regions.types import Region

error_codes(RegionErrorCodeModel, name="RegionErrorCode", noun="region")
RegionErrorCode: TypeAlias = RegionErrorCodeModel


@strawberry.type(description="Why a region mutation did nothing.")
class RegionError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: RegionErrorCode = strawberry.field(description=ERROR_CODE)


REGION_ERRORS = MutationErrors(DomainRegionError, RegionError)


@strawberry.type(description="What `regionIslandSet` answers.")
class RegionIslandSetPayload:
    region: Region | None = strawberry.field(description="The region as it is now.")
    errors: list[RegionError] = strawberry.field(description=ERRORS)


async def region_island_set(
    info: Info,
    id: Annotated[RegionCode, strawberry.argument(description="The region: its code (or its global id).")],
    island: Annotated[bool, strawberry.argument(description="Whether it is an island region.")],
) -> RegionIslandSetPayload:
    """Mark a region as an island region or not (admins only): election logistics are due a week earlier
    there. The shipped list is a heuristic; a flag set here is kept when the regions are seeded again."""
    actor = info.context.principal.actor
    try:
        region, _ = await set_island(id, island, actor=actor)
    except DomainRegionError as error:
        return RegionIslandSetPayload(region=None, errors=REGION_ERRORS.typed(error))
    return RegionIslandSetPayload(region=Region.from_model(region), errors=[])
