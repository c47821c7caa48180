from __future__ import annotations

import strawberry
from strawberry import relay

from hub.completeness.compute import figures
from hub.completeness.errors import CompletenessError
from hub.completeness.services import (
    MATRIX_BY_REGION,
    MISSING_BY_REGION,
    get_requirement,
    matrix,
    missing,
    requirements_of,
    rolled_up,
)
from hub.core.paging import Page, PaginationError, page_size
from schema.completeness.types import (
    Completeness,
    CompletenessFigures,
    CompletenessMatrix,
    CompletenessRow,
    Requirement,
)
from schema.connection import connection
from schema.context import Info
from schema.cost import cost
from schema.fields import field
from schema.permissions import IsUser
from schema.regions.types import Region, RegionConnection

MAX_PERIODS = 8


def _periods(periods: list[str]) -> list[str]:
    if not periods or len(periods) > MAX_PERIODS:
        raise PaginationError(f"give 1 to {MAX_PERIODS} periods such as 2026-Q1")
    return sorted(set(periods))


MAX_MATRIX_ROWS = 600  # the whole country (552 regions) in one request


def _matrix_page_size(first: int | None) -> int:
    if first is not None and not 0 <= first <= MAX_MATRIX_ROWS:
        raise PaginationError(f"`first` must be between 0 and {MAX_MATRIX_ROWS}")
    return 100 if first is None else first


def _client_error(error: CompletenessError) -> PaginationError:
    return PaginationError(error.message)


@strawberry.type
class CompletenessQueries:
    @field(description="Requirements of some periods.", permission_classes=[IsUser])
    async def requirements(self, periods: list[str]) -> list[Requirement]:
        return [
            Requirement.from_model(requirement) for requirement in await requirements_of(_periods(periods))
        ]

    @field(
        description="Completeness under a region: its total and one row per child region (whole subtree "
        "summed), plus the region's own row when it owes deliveries itself. Nationally: a row per province.",
        permission_classes=[IsUser],
        metadata=cost(weight=30),  # requirements and deliveries of the whole subtree, rolled up
    )
    async def completeness(self, info: Info, periods: list[str], region: str = "ID") -> Completeness:
        try:
            rows, cells = await rolled_up(info.context.principal.scope, region, _periods(periods))
        except CompletenessError as error:
            raise _client_error(error) from None
        return Completeness(
            total=CompletenessFigures.of(figures(cells)),
            rows=[CompletenessRow.of(row) for row in rows],
        )

    @field(
        description="Regions by requirements under a region: every region that owes something, with a cell "
        "per requirement; pages of rows ordered by region code.",
        permission_classes=[IsUser],
        # The whole matrix of the subtree is computed, whatever page is asked for.
        metadata=cost(weight=50, max_first=MAX_MATRIX_ROWS),
    )
    async def completeness_matrix(
        self,
        info: Info,
        periods: list[str],
        region: str = "ID",
        first: int | None = 100,
        after: str | None = None,
    ) -> CompletenessMatrix:
        size = _matrix_page_size(first)
        position = MATRIX_BY_REGION.position(after)
        try:
            requirements, rows = await matrix(info.context.principal.scope, region, _periods(periods))
        except CompletenessError as error:
            raise _client_error(error) from None
        page = Page.following(rows, lambda row: row.region.id, position, size)
        requirement_ids = [str(requirement.id) for requirement in requirements]
        return CompletenessMatrix(
            requirements=[Requirement.from_model(requirement) for requirement in requirements],
            rows=[CompletenessRow.of(row, requirement_ids) for row in page.items],
            total_count=page.total_count,
            end_cursor=MATRIX_BY_REGION.cursor(page.items[-1].region) if page.items else None,
            has_next_page=page.has_next_page,
        )

    @field(
        description="Who has not delivered a requirement yet, under a region.",
        permission_classes=[IsUser],
        metadata=cost(weight=10),
    )
    async def regions_missing(
        self,
        info: Info,
        requirement: relay.GlobalID,
        region: str = "ID",
        first: int | None = 50,
        after: str | None = None,
    ) -> RegionConnection:
        size = page_size(first)
        position = MISSING_BY_REGION.position(after)
        try:
            wanted = await get_requirement(requirement.node_id)
            regions = await missing(info.context.principal.scope, wanted, region)
        except CompletenessError as error:
            raise _client_error(error) from None
        page = Page.following(regions, lambda found: found.id, position, size)
        return connection(
            RegionConnection, page, Region.from_model, cursor=MISSING_BY_REGION.cursor, after=after
        )
