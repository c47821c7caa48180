"""`deadlineExtensions`: the deadline extensions the viewer may see."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.reports.extension_grants import parse_period
from hub.reports.extensions import EXTENSIONS_NEWEST, list_extensions
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.regions.code import RegionCode, known_region
from schema.reports.extension_types import DeadlineExtension, DeadlineExtensionConnection


@strawberry.type
class DeadlineExtensionQueries:
    @field(
        description="Deadline extensions within your scope, newest first. Partner grants read them only with "
        "`DeadlineExtension` fields granted (an extension tells of a region's difficulty).",
        permission_classes=[IsAuthenticated],
    )
    async def deadline_extensions(
        self,
        info: Info,
        region: Annotated[
            RegionCode | None, strawberry.argument(description="Only this region and the regions under it.")
        ] = None,
        period: Annotated[
            str | None, strawberry.argument(description="Only this period, such as `2026-Q1`.")
        ] = None,
        include_revoked: Annotated[
            bool | None,
            strawberry.argument(description="True: also the revoked ones (kept for the history)."),
        ] = None,
        first: First = 20,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> DeadlineExtensionConnection:
        root = await known_region(info, region)
        # A period that is none answers INVALID_PERIOD (a top-level error).
        period_key = parse_period(period).key if period is not None else None
        position, size = EXTENSIONS_NEWEST.window(first=first, after=after, last=last, before=before)
        page = await list_extensions(
            info.context.principal.scope,
            region=root,
            period_key=period_key,
            include_revoked=bool(include_revoked),
            after=position,
            first=size,
        )
        return connection(
            DeadlineExtensionConnection, page, DeadlineExtension.from_model, cursor=EXTENSIONS_NEWEST.cursor
        )
