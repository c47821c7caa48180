from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypedDict, cast

import strawberry
from strawberry import relay

from hub.access.principal import Principal
from hub.core.paging import Page
from hub.reports.listing import (
    ReportFilter,
    ReportOrder,
    ReportSummary,
    list_report_summaries,
    list_reports,
)
from hub.reports.models import Report as ReportModel
from hub.reports.models import ReportType as ReportTypeModel
from hub.reports.templates import current_template, template_version
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.describe import enum_type
from schema.fields import field
from schema.loaders import Loaders
from schema.permissions import IsAuthenticated
from schema.regions.code import RegionCode, region_known
from schema.reports.page import page_nodes, shows_text
from schema.reports.templates import ReportTemplate
from schema.reports.types import (
    IncidentCategory,
    ReportConnection,
    ReportStatus,
    ReportType,
    RiskLevel,
)
from schema.sync.arguments import UpdatedSince

enum_type(
    ReportOrder,
    name="ReportOrder",
    description="The order of a list of reports; each breaks ties by id, so pages are stable.",
    values={
        "NEWEST": "The newest first, by creation.",
        "DUE_SOONEST": "The earliest due date first.",
        "PERIOD": "The latest period first.",
    },
)


@strawberry.input(description="Every part narrows the list; all are optional.")
class ReportFilterInput:
    region: RegionCode | None = strawberry.field(
        default=None, description="A region: the reports of it and of every region below it."
    )
    types: list[ReportType] | None = strawberry.field(default=None, description="Only these report types.")
    statuses: list[ReportStatus] | None = strawberry.field(
        default=None, description="Only reports in these statuses."
    )
    risk_levels: list[RiskLevel] | None = strawberry.field(
        default=None, description="Only reports assessed at these risk levels."
    )
    categories: list[IncidentCategory] | None = strawberry.field(
        default=None, description="Only incidents of these categories."
    )
    period_from: str | None = strawberry.field(
        default=None, description="Quarterly reports from this period on, such as `2026-Q1` (inclusive)."
    )
    period_to: str | None = strawberry.field(
        default=None, description="Quarterly reports up to this period, such as `2026-Q4` (inclusive)."
    )
    created_from: datetime | None = strawberry.field(
        default=None, description="Reports created at or after this time."
    )
    created_to: datetime | None = strawberry.field(
        default=None, description="Reports created before this time."
    )
    overdue: bool | None = strawberry.field(
        default=None, description="True: only those past due and not submitted; false: only the others."
    )
    author: relay.GlobalID | None = strawberry.field(
        default=None, description="Only reports written by this account (a User id)."
    )
    stage_code: str | None = strawberry.field(
        default=None, description="Only reports about this election stage (tahapan) code."
    )
    waiting_for_my_review: bool | None = strawberry.field(
        default=None,
        description="True: only the submitted reports you may verify or return now (a coordinator's: its "
        "regencies' and cities'; a central reviewer's: the provinces'); none for other roles and partners.",
    )


async def _author(loaders: Loaders, given: relay.GlobalID | None) -> str | None:
    """The stored actor of the account a User id names (an id that names none matches no report)."""
    if given is None:
        return None
    account = await loaders.user.load(given.node_id) if given.type_name == "User" else None
    return f"user:{account.username}" if account is not None else "user:"


async def report_filter(
    viewer: Principal,
    loaders: Loaders,
    given: ReportFilterInput | None,
    updated_since: datetime | None = None,
    forced_type: ReportTypeModel | None = None,
) -> ReportFilter:
    """The filter input as the domain reads it: for `reports`, `incidents` and their CSV/XLSX exports."""
    given = given or ReportFilterInput()
    return ReportFilter(
        updated_since=updated_since,
        region=await region_known(loaders, given.region),
        types=[forced_type] if forced_type else list(given.types or []),
        statuses=list(given.statuses or []),
        risk_levels=list(given.risk_levels or []),
        categories=list(given.categories or []),
        period_from=given.period_from,
        period_to=given.period_to,
        created_from=given.created_from,
        created_to=given.created_to,
        overdue=given.overdue,
        author=await _author(loaders, given.author),
        stage_code=given.stage_code,
        reviewer=viewer if given.waiting_for_my_review else None,
    )


async def _connection(
    info: Info, wanted: ReportFilter, order: ReportOrder, paging: Paging
) -> ReportConnection:
    keyset = wanted.keyset(order)
    position, size = keyset.window(**paging)
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
    return connection(ReportConnection, page, nodes, cursor=keyset.cursor)


class Paging(TypedDict):
    first: int | None
    after: str | None
    last: int | None
    before: str | None


Filter = Annotated[
    ReportFilterInput | None, strawberry.argument(description="What to list; all you may see by default.")
]
Order = Annotated[ReportOrder, strawberry.argument(description="The order; each is stable across pages.")]


@strawberry.type
class ReportQueries:
    @field(
        description="Reports the viewer may see, filtered and in a stable order.",
        permission_classes=[IsAuthenticated],
    )
    async def reports(
        self,
        info: Info,
        filter: Filter = None,
        order_by: Order = ReportOrder.NEWEST,
        first: First = 20,
        after: After = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> ReportConnection:
        paging = Paging(first=first, after=after, last=last, before=before)
        wanted = await report_filter(info.context.principal, info.context.loaders, filter, updated_since)
        return await _connection(info, wanted, order_by, paging)

    @field(
        description="Incident reports (laporan insidental) the viewer may see: `reports` with the type "
        "INCIDENT.",
        permission_classes=[IsAuthenticated],
    )
    async def incidents(
        self,
        info: Info,
        filter: Filter = None,
        order_by: Order = ReportOrder.NEWEST,
        first: First = 20,
        after: After = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> ReportConnection:
        paging = Paging(first=first, after=after, last=last, before=before)
        wanted = await report_filter(
            info.context.principal, info.context.loaders, filter, updated_since, ReportTypeModel.INCIDENT
        )
        return await _connection(info, wanted, order_by, paging)

    @field(
        description="The current template of a report type, or one of its versions: its sections, indicators "
        "and rules; null when there is none.",
        permission_classes=[IsAuthenticated],
    )
    async def report_template(
        self,
        type: Annotated[ReportType, strawberry.argument(description="The report type.")],
        version: Annotated[
            int | None,
            strawberry.argument(
                description="A version (a report's `templateVersion`); null: the current (newest) one."
            ),
        ] = None,
    ) -> ReportTemplate | None:
        found = await (current_template(type) if version is None else template_version(type, version))
        return ReportTemplate.from_model(found) if found else None
