"""Dashboard figures as GraphQL types (hub/dashboards, hub/early_warning)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.dashboards.cases import CaseFigures as CaseFiguresModel
from hub.dashboards.incidents import IncidentFigures as IncidentFiguresModel
from hub.dashboards.support import SupportSummary
from hub.early_warning.service import RegionSignal
from schema.cases.types import CaseCategory
from schema.regions.types import Region
from schema.reports.types import IncidentCategory, RiskLevel

COUNT = "How many incidents."


@strawberry.type(description="Incidents of one severity.")
class SeverityCount:
    severity: RiskLevel = strawberry.field(description="The severity.")
    count: int = strawberry.field(description=COUNT)


@strawberry.type(description="Incidents of one category.")
class CategoryCount:
    category: IncidentCategory = strawberry.field(description="The category.")
    count: int = strawberry.field(description=COUNT)


@strawberry.type(description="Incidents of one region's subtree.")
class RegionCount:
    region: Region = strawberry.field(description="The region (its whole subtree counts).")
    count: int = strawberry.field(description=COUNT)


@strawberry.type(description="Incidents in one ISO week, Monday 00:00 WIB (UTC+7) to the next Monday.")
class WeekCount:
    week_start: datetime = strawberry.field(description="The week's Monday, 00:00 WIB.")
    iso_week: str = strawberry.field(description="Such as `2038-W05`.")
    count: int = strawberry.field(description=COUNT)


@strawberry.type(
    description="Incident reports (every status but draft) that occurred in the dashboard's range."
)
class IncidentFigures:
    total: int = strawberry.field(description="How many incidents, in all.")
    by_severity: list[SeverityCount] = strawberry.field(description="Every severity, 0 included.")
    by_category: list[CategoryCount] = strawberry.field(description="Every category, 0 included.")
    by_region: list[RegionCount] = strawberry.field(
        description="Every region directly under the dashboard's region (its whole subtree), 0 included."
    )
    filed_at_region: int = strawberry.field(
        description="Incidents filed by the dashboard's region itself rather than a region below it."
    )
    by_week: list[WeekCount] = strawberry.field(description="Every week the range touches, 0 included.")

    @classmethod
    def of(cls, figures: IncidentFiguresModel) -> IncidentFigures:
        return cls(
            total=figures.total,
            by_severity=[SeverityCount(severity=k, count=n) for k, n in figures.by_severity.items()],
            by_category=[CategoryCount(category=k, count=n) for k, n in figures.by_category.items()],
            by_region=[
                RegionCount(region=Region.from_model(row.region), count=row.count)
                for row in figures.by_region
            ],
            filed_at_region=figures.filed_at_region,
            by_week=[
                WeekCount(week_start=week.start, iso_week=week.iso_week, count=week.count)
                for week in figures.by_week
            ],
        )


OPEN = "How many are open or in progress."
OVERDUE = "How many of those are past their due date."


@strawberry.type(description="Open cases of one category.")
class CaseCategoryCount:
    category: CaseCategory = strawberry.field(description="The category.")
    open: int = strawberry.field(description=OPEN)
    overdue: int = strawberry.field(description=OVERDUE)


@strawberry.type(description="Open cases of one severity.")
class CaseSeverityCount:
    severity: RiskLevel = strawberry.field(description="The severity.")
    open: int = strawberry.field(description=OPEN)
    overdue: int = strawberry.field(description=OVERDUE)


@strawberry.type(
    description="Cases open or in progress now (whenever opened: the range does not apply), and those of "
    "them past their due date."
)
class CaseFigures:
    open: int = strawberry.field(description=OPEN)
    overdue: int = strawberry.field(description=OVERDUE)
    by_category: list[CaseCategoryCount] = strawberry.field(description="By category, every one included.")
    by_severity: list[CaseSeverityCount] = strawberry.field(description="By severity, every one included.")

    @classmethod
    def of(cls, figures: CaseFiguresModel) -> CaseFigures:
        return cls(
            open=figures.open,
            overdue=figures.overdue,
            by_category=[
                CaseCategoryCount(category=k, open=v.open, overdue=v.overdue)
                for k, v in figures.by_category.items()
            ],
            by_severity=[
                CaseSeverityCount(severity=k, open=v.open, overdue=v.overdue)
                for k, v in figures.by_severity.items()
            ],
        )


@strawberry.type(
    description="Support for an election stage, counted over the participating regions under the dashboard's "
    "region (see `electionSupport` for the rows): what their latest counted quarterly reports say."
)
class ElectionSupportSummary:
    regions: int = strawberry.field(description="Participating regions of the level, in your scope.")
    reported: int = strawberry.field(description="With a counted quarterly report on the stage.")
    nphd_signed: int = strawberry.field(description="Whose regional grant agreement (NPHD) is signed.")
    nphd_disbursed: int = strawberry.field(description="NPHD funds disbursed in full (100%).")
    logistics_ready: int = strawberry.field(description="Logistics 100% ready.")
    logistics_on_time: int = strawberry.field(description="Delivered by the (island-adjusted) deadline.")
    logistics_late: int = strawberry.field(description="Delivered after the (island-adjusted) deadline.")
    team_decree_in_place: int = strawberry.field(
        description="Whose monitoring team decree (SK Tim Pemantauan) is in place."
    )
    open_cases: int = strawberry.field(description="Open cases about the stage.")
    overdue_cases: int = strawberry.field(description="Of those, past their due date.")

    @classmethod
    def of(cls, summary: SupportSummary) -> ElectionSupportSummary:
        return cls(**vars(summary))


@strawberry.type(
    description="A region whose incidents in the recent window stand abnormally high against its own "
    "baseline: score = (recent - mean) / max(sd, sqrt(mean), 1) over the preceding windows of the same "
    "length; flagged at the configured threshold and minimum count."
)
class EarlyWarning:
    region: Region = strawberry.field(description="The region flagged (its whole subtree counts).")
    recent_count: int = strawberry.field(description="Incidents the region filed in the recent window.")
    baseline_mean: float = strawberry.field(description="Mean count of the baseline windows.")
    baseline_sd: float = strawberry.field(description="Sample standard deviation of the baseline windows.")
    baseline_windows: int = strawberry.field(description="How many baseline windows were counted.")
    score: float = strawberry.field(description="How far above its baseline the recent count stands.")
    window_start: datetime = strawberry.field(description="Start of the recent window.")
    window_end: datetime = strawberry.field(description="End of the recent window (exclusive).")

    @classmethod
    def of(cls, signal: RegionSignal) -> EarlyWarning:
        assessment = signal.assessment
        return cls(
            region=Region.from_model(signal.region),
            recent_count=assessment.recent,
            baseline_mean=assessment.baseline.mean,
            baseline_sd=assessment.baseline.sd,
            baseline_windows=assessment.baseline.windows,
            score=assessment.score,
            window_start=signal.window_start,
            window_end=signal.window_end,
        )
