from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.completeness.compute import figures
from hub.completeness.errors import CompletenessError
from hub.completeness.services import (
    MATRIX_BY_REGION,
    MISSING_BY_REGION,
    REQUIREMENTS_BY_PERIOD,
    get_requirement,
    list_requirements,
    matrix,
    missing,
    rolled_up,
)
from hub.core.paging import Page
from hub.i18n import Text
from schema.completeness.types import (
    Completeness,
    CompletenessFigures,
    CompletenessMatrix,
    CompletenessRow,
    Requirement,
    RequirementConnection,
)
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.cost import cost
from schema.error_codes import ClientError, RequestErrorCode
from schema.fields import field
from schema.permissions import IsUser
from schema.regions.code import RegionCode, known_region
from schema.regions.types import Region, RegionConnection

MAX_PERIODS = 8


def _periods(periods: list[str]) -> list[str]:
    if not periods or len(periods) > MAX_PERIODS:
        raise ClientError(
            Text("request.periods_count", max_periods=MAX_PERIODS), RequestErrorCode.INVALID_PAGINATION
        )
    return sorted(set(periods))


MAX_MATRIX_ROWS = 600  # the whole country (552 regions) in one request


def _client_error(error: CompletenessError) -> ClientError:
    return ClientError(error.raised_message, RequestErrorCode.INVALID_PAGINATION)


NATION = RegionCode("ID")
Periods = Annotated[
    list[str], strawberry.argument(description=f"1 to {MAX_PERIODS} periods, such as `2026-Q1`.")
]
Under = Annotated[
    RegionCode,
    strawberry.argument(description="The region whose subtree is counted; the nation (`ID`) by default."),
]


@strawberry.type
class CompletenessQueries:
    @field(
        description="Requirements of some periods, by period, then in the order they were made.",
        permission_classes=[IsUser],
    )
    async def requirements(
        self,
        periods: Periods,
        first: First = 50,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> RequirementConnection:
        position, size = REQUIREMENTS_BY_PERIOD.window(
            first=first, after=after, last=last, before=before, default=50
        )
        page = await list_requirements(_periods(periods), after=position, first=size)
        return connection(
            RequirementConnection, page, Requirement.from_model, cursor=REQUIREMENTS_BY_PERIOD.cursor
        )

    @field(
        description="Completeness (kelengkapan) under a region: its total and one row per child region "
        "(whole subtree summed), plus the region's own row when it owes deliveries itself. Nationally: a row "
        "per province. Counts only what you may see: a region outside your scope counts nothing.",
        permission_classes=[IsUser],
        metadata=cost(weight=30),  # requirements and deliveries of the whole subtree, rolled up
    )
    async def completeness(self, info: Info, periods: Periods, region: Under = NATION) -> Completeness:
        root = await known_region(info, region)
        assert root is not None
        try:
            rows, cells = await rolled_up(info.context.principal.scope, root, _periods(periods))
        except CompletenessError as error:
            raise _client_error(error) from None
        return Completeness(
            total=CompletenessFigures.of(figures(cells)),
            rows=[CompletenessRow.of(row) for row in rows],
        )

    @field(
        description="Regions by requirements under a region: every region you may see that owes something, "
        "with a cell per requirement; a connection of rows ordered by region code.",
        permission_classes=[IsUser],
        # The whole matrix of the subtree is computed, whatever page is asked for.
        metadata=cost(weight=50, max_first=MAX_MATRIX_ROWS),
    )
    async def completeness_matrix(
        self,
        info: Info,
        periods: Periods,
        region: Under = NATION,
        first: Annotated[
            int | None,
            strawberry.argument(description=f"Paging forwards: how many rows, 0 to {MAX_MATRIX_ROWS}."),
        ] = 100,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CompletenessMatrix:
        position, size = MATRIX_BY_REGION.window(
            first=first, after=after, last=last, before=before, default=100, maximum=MAX_MATRIX_ROWS
        )
        root = await known_region(info, region)
        assert root is not None
        try:
            requirements, rows = await matrix(info.context.principal.scope, root, _periods(periods))
        except CompletenessError as error:
            raise _client_error(error) from None
        page = Page.following(rows, lambda row: row.region.id, position, size)
        requirement_ids = [str(requirement.id) for requirement in requirements]
        return connection(
            CompletenessMatrix,
            page,
            lambda row: CompletenessRow.of(row, requirement_ids),
            cursor=lambda row: MATRIX_BY_REGION.cursor(row.region),
            requirements=[Requirement.from_model(requirement) for requirement in requirements],
        )

    @field(
        description="Who has not delivered a requirement yet under a region, among the regions you may see.",
        permission_classes=[IsUser],
        metadata=cost(weight=10),
    )
    async def regions_missing(
        self,
        info: Info,
        requirement: Annotated[relay.GlobalID, strawberry.argument(description="A Requirement id.")],
        region: Under = NATION,
        first: First = 50,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> RegionConnection:
        position, size = MISSING_BY_REGION.window(
            first=first, after=after, last=last, before=before, default=50
        )
        root = await known_region(info, region)
        assert root is not None
        try:
            wanted = await get_requirement(requirement.node_id)
            regions = await missing(info.context.principal.scope, wanted, root)
        except CompletenessError as error:
            raise _client_error(error) from None
        page = Page.following(regions, lambda found: found.id, position, size)
        return connection(RegionConnection, page, Region.from_model, cursor=MISSING_BY_REGION.cursor)
