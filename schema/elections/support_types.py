"""The support status of regions for an election stage (hub/elections/support.py) as GraphQL types."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.cases.models import CaseCategory as CaseCategoryModel
from hub.elections.support import OpenCase, SupportFilter
from hub.elections.support import RegionSupport as RegionSupportModel
from schema.cases.types import CaseCategory, CaseStatus
from schema.connection import CURSOR, PAGE_INFO
from schema.fields import field
from schema.regions.code import RegionCode
from schema.regions.types import Region, RegionLevel


@strawberry.input(description="Conditions on the support rows; each given one must hold.")
class ElectionSupportFilter:
    region: RegionCode | None = strawberry.field(
        default=None, description="Only regions in this subtree, such as `31`."
    )
    level: RegionLevel | None = strawberry.field(
        default=None, description="Rows at this level; regencies and cities when left out."
    )
    nphd_signed: bool | None = strawberry.field(
        default=None,
        description="By what the latest report says. A region without a report matches neither true nor "
        "false: use `reported: false` for those.",
    )
    team_decree_in_place: bool | None = strawberry.field(
        default=None, description="By whether the monitoring team's decree (SK Tim Pemantauan) is in place."
    )
    logistics_on_time: bool | None = strawberry.field(
        default=None, description="By whether logistics were delivered by the (island-adjusted) deadline."
    )
    reported: bool | None = strawberry.field(
        default=None, description="Whether the region has a counted report for the stage."
    )

    def to_domain(self) -> SupportFilter:
        return SupportFilter(
            region=self.region,
            level=self.level,
            nphd_signed=self.nphd_signed,
            team_decree_in_place=self.team_decree_in_place,
            logistics_on_time=self.logistics_on_time,
            reported=self.reported,
        )


@strawberry.type(description="An open case (status other than resolved): what is being done about it.")
class CaseSummary:
    id: relay.GlobalID = strawberry.field(description="The Case's global id.")
    title: str = strawberry.field(description="What the obstacle is.")
    category: CaseCategory = strawberry.field(description="What it is about.")
    status: CaseStatus = strawberry.field(description="Open or in progress.")
    due_at: datetime = strawberry.field(description="When it must be resolved.")
    overdue: bool = strawberry.field(description="Past its due date.")

    def logged_id(self) -> str:
        """What a partner's read of this summary is logged as (schema.access.partner_log): the Case."""
        return relay.to_base64(self.id.type_name, self.id.node_id)

    @classmethod
    def from_model(cls, case: OpenCase) -> CaseSummary:
        return cls(
            id=relay.GlobalID("Case", str(case.id)),
            title=case.title,
            category=case.category,
            status=case.status,
            due_at=case.due_at,
            overdue=case.overdue,
        )


@strawberry.type(
    description="One region's support for an election stage, from its latest counted quarterly report "
    "(submitted, verified, evaluated or archived; the latest by submission). Without such a report, "
    "`reported` is false and every indicator is null."
)
class RegionSupport:
    region: Region = strawberry.field(description="The participating region.")
    reported: bool = strawberry.field(description="Whether it has a counted quarterly report on the stage.")
    report_id: relay.GlobalID | None = strawberry.field(description="The Report the values come from.")
    nphd_signed: bool | None = strawberry.field(
        description="Whether the regional grant agreement (NPHD) with KPU/Bawaslu is signed."
    )
    nphd_amount: float | None = strawberry.field(
        description="Rupiah, a whole number (a Float: GraphQL's Int stops at 2^31)."
    )
    nphd_disbursed_percent: float | None = strawberry.field(
        description="How much of the NPHD amount is disbursed, 0 to 100."
    )
    team_decree_in_place: bool | None = strawberry.field(
        description="Whether the monitoring team's decree (SK Tim Pemantauan) is in place."
    )
    logistics_ready_percent: float | None = strawberry.field(
        description="How ready the election logistics are, 0 to 100."
    )
    logistics_delivered_on: date | None = strawberry.field(description="When logistics were delivered.")
    logistics_deadline: date | None = strawberry.field(
        description="The stage's logistics deadline as it applies here: a week earlier for island regions."
    )
    logistics_on_time: bool | None = strawberry.field(
        description="Delivered on or before `logisticsDeadline`; null without a deadline or a delivery date."
    )
    row: strawberry.Private[RegionSupportModel]
    default_categories: strawberry.Private[frozenset[CaseCategoryModel]]

    @classmethod
    def from_model(
        cls, row: RegionSupportModel, default_categories: frozenset[CaseCategoryModel]
    ) -> RegionSupport:
        return cls(
            region=Region.from_model(row.region),
            reported=row.reported,
            report_id=relay.GlobalID("Report", str(row.report_id)) if row.report_id else None,
            nphd_signed=row.nphd_signed,
            nphd_amount=float(row.nphd_amount) if row.nphd_amount is not None else None,
            nphd_disbursed_percent=row.nphd_disbursed_percent,
            team_decree_in_place=row.team_decree_in_place,
            logistics_ready_percent=row.logistics_ready_percent,
            logistics_delivered_on=row.logistics_delivered_on,
            logistics_deadline=row.logistics_deadline,
            logistics_on_time=row.logistics_on_time,
            row=row,
            default_categories=default_categories,
        )

    def logged_id(self) -> str:
        """What a partner's read of this row is logged as (schema.access.partner_log): the Report its values
        come from, or the Region when it has none."""
        if self.row.report_id is not None:
            return relay.to_base64("Report", str(self.row.report_id))
        return relay.to_base64("Region", self.row.region.id)

    @field(
        description="Open cases of this region for the election stage, earliest due first. Without "
        "`categories`: the NPHD cases when the query filtered on `nphdSigned`, the logistics cases when it "
        "filtered on `logisticsOnTime` (both when both), every category otherwise."
    )
    def open_cases(
        self,
        categories: Annotated[
            list[CaseCategory] | None, strawberry.argument(description="Only cases of these categories.")
        ] = None,
    ) -> list[CaseSummary]:
        wanted = frozenset(categories) if categories else self.default_categories
        return [CaseSummary.from_model(case) for case in self.row.cases_in(wanted)]


@strawberry.type(description="A support row and its cursor.")
class RegionSupportEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: RegionSupport = strawberry.field(description="The row.")


@strawberry.type(description="A page of support rows, ordered by region code.")
class RegionSupportConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[RegionSupportEdge] = strawberry.field(description="The rows of this page, with cursors.")
    total_count: int = strawberry.field(description="How many regions match, over all pages.")

    @field(description="The rows of this page, without edges.")
    def nodes(self) -> list[RegionSupport]:
        return [edge.node for edge in self.edges]
