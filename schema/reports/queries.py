from __future__ import annotations

from datetime import datetime

import strawberry

from hub.core.paging import page_size
from hub.reports.listing import ReportFilter, ReportOrder, list_reports
from hub.reports.models import Report as ReportModel
from hub.reports.models import ReportType as ReportTypeModel
from hub.reports.templates import current_template
from schema.connection import connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.prefetch import requested
from schema.reports.templates import ReportTemplate
from schema.reports.types import (
    IncidentCategory,
    Report,
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


async def _prefetch(info: Info, reports: list[ReportModel]) -> None:
    """Bulk-load what the selected item fields need, so they resolve without an await each."""
    if not reports:
        return
    loaders = info.context.loaders

    def wants(*path: str) -> bool:
        return requested(info, "nodes", *path) or requested(info, "edges", "node", *path)

    if wants("region"):
        regions = await loaders.region.load_many(sorted({report.region_code for report in reports}))
        parents = sorted({region.parent_code for region in regions if region and region.parent_code})
        if parents and wants("region", "parent"):
            await loaders.region.load_many(parents)
    if wants("author") or wants("reviewer"):
        actors = {report.author for report in reports} | {r.last_reviewer for r in reports if r.last_reviewer}
        await loaders.reports.user_by_actor.load_many(sorted(actors))
    if wants("caseCount"):
        await loaders.reports.case_count.load_many([report.id for report in reports if report.id is not None])


async def _connection(
    info: Info, wanted: ReportFilter, order: ReportOrder, first: int | None, after: str | None
) -> ReportConnection:
    size = page_size(first)
    keyset = order.keyset
    page = await list_reports(
        wanted, info.context.principal.scope, order=order, after=keyset.position(after), first=size
    )
    await _prefetch(info, page.items)
    return connection(ReportConnection, page, Report.from_model, cursor=keyset.cursor, after=after)


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
