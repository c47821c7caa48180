from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry

from hub.core.paging import Page, page_size
from hub.reports.listing import (
    ReportFilter,
    ReportOrder,
    ReportSummary,
    list_report_summaries,
    list_reports,
)
from hub.reports.models import Report as ReportModel
from hub.reports.models import ReportType as ReportTypeModel
from hub.reports.templates import current_template
from schema.connection import connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.reports.page import page_nodes, shows_text
from schema.reports.templates import ReportTemplate
from schema.reports.types import (
    IncidentCategory,
    ReportConnection,
    ReportStatus,
    ReportType,
    RiskLevel,
)

strawberry.enum(ReportOrder, name="ReportOrder")


@strawberry.input(description="Every part narrows the list; all are optional.")
class ReportFilterInput:
    region: str | None = strawberry.field(default=None, description="Code of a region: it and all below it.")
    types: list[ReportType] | None = None
    statuses: list[ReportStatus] | None = None
    risk_levels: list[RiskLevel] | None = None
    categories: list[IncidentCategory] | None = strawberry.field(
        default=None, description="Incident categories."
    )
    period_from: str | None = strawberry.field(default=None, description="`2026-Q1`, inclusive.")
    period_to: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    overdue: bool | None = None
    author: str | None = strawberry.field(default=None, description="Username of the author.")
    stage_code: str | None = None


def _domain_filter(
    given: ReportFilterInput | None, forced_type: ReportTypeModel | None = None
) -> ReportFilter:
    given = given or ReportFilterInput()
    return ReportFilter(
        region=given.region,
        types=[forced_type] if forced_type else list(given.types or []),
        statuses=list(given.statuses or []),
        risk_levels=list(given.risk_levels or []),
        categories=list(given.categories or []),
        period_from=given.period_from,
        period_to=given.period_to,
        created_from=given.created_from,
        created_to=given.created_to,
        overdue=given.overdue,
        author=f"user:{given.author}" if given.author else None,
        stage_code=given.stage_code,
    )


async def _connection(
    info: Info, wanted: ReportFilter, order: ReportOrder, first: int | None, after: str | None
) -> ReportConnection:
    size = page_size(first)
    keyset = order.keyset
    position = keyset.position(after)
    scope = info.context.principal.scope
    page: Page[ReportModel | ReportSummary]
    if shows_text(info):
        page = cast(
            Page[ReportModel | ReportSummary],
            await list_reports(wanted, scope, order=order, after=position, first=size),
        )
    else:
        page = cast(
            Page[ReportModel | ReportSummary],
            await list_report_summaries(wanted, scope, order=order, after=position, first=size),
        )
    nodes = await page_nodes(info, page.items)
    return connection(ReportConnection, page, nodes, cursor=keyset.cursor, after=after)


@strawberry.type
class ReportQueries:
    @field(
        description="Reports the viewer may see, filtered and in a stable order.",
        permission_classes=[IsAuthenticated],
    )
    async def reports(
        self,
        info: Info,
        filter: ReportFilterInput | None = None,
        order_by: ReportOrder = ReportOrder.NEWEST,
        first: int | None = 20,
        after: str | None = None,
    ) -> ReportConnection:
        return await _connection(info, _domain_filter(filter), order_by, first, after)

    @field(description="Incident reports the viewer may see.", permission_classes=[IsAuthenticated])
    async def incidents(
        self,
        info: Info,
        filter: ReportFilterInput | None = None,
        order_by: ReportOrder = ReportOrder.NEWEST,
        first: int | None = 20,
        after: str | None = None,
    ) -> ReportConnection:
        return await _connection(
            info, _domain_filter(filter, ReportTypeModel.INCIDENT), order_by, first, after
        )

    @field(description="The current template of a report type.", permission_classes=[IsAuthenticated])
    async def report_template(self, type: ReportType) -> ReportTemplate | None:
        template = await current_template(type)
        return ReportTemplate.from_model(template) if template else None
