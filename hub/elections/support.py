"""Support status of the participating regions for one election stage: what their latest quarterly reports
say about NPHD, logistics and the monitoring team, and which cases are open about it.

Three queries whatever the number of regions (regions, reports, cases), joined here. Decisions:
- A region without a counted report has `reported` False and every indicator None (not False): "has not
  signed its NPHD" means a report said so; "has not reported" is the `reported` filter.
- Counted reports: quarterly, of this election and stage, submitted, verified, evaluated or archived; the
  latest by `submitted_at` wins. Drafts and returned reports are not counted.
- Island regions must have logistics delivered a week before the stage's deadline.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from beanie import PydanticObjectId, SortDirection
from pydantic import BaseModel, Field

from hub.access.scope import Scope, scope_to_mongo
from hub.cases.models import Case, CaseCategory, CaseStatus
from hub.cases.rules import is_overdue
from hub.core.clock import utcnow
from hub.core.paging import Keyset, Page, Position
from hub.elections.errors import ElectionError, ElectionErrorCode
from hub.elections.models import Election, Stage
from hub.elections.values import as_bool, as_date, as_money, as_number
from hub.i18n import Text
from hub.regions.models import Region, RegionLevel
from hub.regions.services import get_region
from hub.reports import templates as codes
from hub.reports.models import Report, ReportStatus, ReportType

ISLAND_LEAD = timedelta(days=7)
COUNTED_STATUSES = (
    ReportStatus.SUBMITTED,
    ReportStatus.VERIFIED,
    ReportStatus.EVALUATED,
    ReportStatus.ARCHIVED,
)
DEFAULT_LEVELS = (RegionLevel.REGENCY, RegionLevel.CITY)
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class SupportFilter:
    """Every given condition must hold. `region` is the root code of a subtree; `level` defaults to
    regencies and cities."""

    region: str | None = None
    level: RegionLevel | None = None
    nphd_signed: bool | None = None
    team_decree_in_place: bool | None = None
    logistics_on_time: bool | None = None
    reported: bool | None = None

    @property
    def levels(self) -> tuple[RegionLevel, ...]:
        return DEFAULT_LEVELS if self.level is None else (self.level,)

    @property
    def case_categories(self) -> frozenset[CaseCategory]:
        """The open cases that say what is being done about what was filtered on: NPHD cases for an NPHD
        filter, logistics cases for a logistics filter; empty (every category) otherwise."""
        topics = set()
        if self.nphd_signed is not None:
            topics.add(CaseCategory.NPHD)
        if self.logistics_on_time is not None:
            topics.add(CaseCategory.LOGISTICS)
        return frozenset(topics)

    def matches(self, row: RegionSupport) -> bool:
        wanted = (
            (self.nphd_signed, row.nphd_signed),
            (self.team_decree_in_place, row.team_decree_in_place),
            (self.logistics_on_time, row.logistics_on_time),
            (self.reported, row.reported),
        )
        return all(value is None or actual is value for value, actual in wanted)


@dataclass(frozen=True)
class OpenCase:
    id: PydanticObjectId
    title: str
    category: CaseCategory
    status: CaseStatus
    due_at: datetime
    overdue: bool


@dataclass(frozen=True)
class RegionSupport:
    region: Region
    report_id: PydanticObjectId | None = None
    nphd_signed: bool | None = None
    nphd_amount: int | None = None
    nphd_disbursed_percent: float | None = None
    team_decree_in_place: bool | None = None
    logistics_ready_percent: float | None = None
    logistics_delivered_on: date | None = None
    logistics_deadline: date | None = None
    logistics_on_time: bool | None = None
    open_cases: tuple[OpenCase, ...] = field(default=())

    @property
    def reported(self) -> bool:
        return self.report_id is not None

    def cases_in(self, categories: Collection[CaseCategory] | None) -> list[OpenCase]:
        if not categories:
            return list(self.open_cases)
        return [case for case in self.open_cases if case.category in categories]


# Support rows are ordered by their region's code.
SUPPORT_BY_REGION = Keyset("election-support", (("_id", SortDirection.ASCENDING),))


class _ReportFacts(BaseModel):
    id: PydanticObjectId = Field(alias="_id")
    region_code: str
    submitted_at: datetime | None = None
    values: dict[str, Any] = Field(default_factory=dict)


class _CaseFacts(BaseModel):
    id: PydanticObjectId = Field(alias="_id")
    region_code: str
    title: str
    category: CaseCategory
    status: CaseStatus
    due_at: datetime


def logistics_deadline_for(stage: Stage, region: Region) -> date | None:
    """The stage's logistics deadline as it applies to the region: a week earlier for island regions."""
    if stage.logistics_deadline is None:
        return None
    return stage.logistics_deadline - ISLAND_LEAD if region.island else stage.logistics_deadline


def _under(roots: Sequence[str]) -> dict[str, Any]:
    return {"$or": [{"_id": {"$in": list(roots)}}, {"ancestors": {"$in": list(roots)}}]}


async def _regions(election: Election, wanted: SupportFilter, scope: Scope) -> list[Region]:
    clauses = [{"level": {"$in": [level.value for level in wanted.levels]}}, _under(election.region_roots)]
    if wanted.region is not None:
        clauses.append(_under([wanted.region]))
    found = await Region.find({"$and": clauses}).sort("_id").to_list()
    if not found and wanted.region is not None and await get_region(wanted.region) is None:
        raise ElectionError(
            ElectionErrorCode.REGION_NOT_FOUND,
            Text("elections.region_not_found", region=wanted.region),
            "filter.region",
        )
    return [region for region in found if scope.covers(region.subtree_codes)]


async def _latest_reports(
    election: Election, stage: Stage, region_codes: list[str], scope: Scope
) -> dict[str, _ReportFacts]:
    criteria = {
        "type": ReportType.QUARTERLY.value,
        "election_id": election.id,
        "stage_code": stage.code,
        "status": {"$in": [status.value for status in COUNTED_STATUSES]},
        "region_code": {"$in": region_codes},
    }
    # A partner grant limited to other report types reads nothing of quarterly reports.
    limits = scope_to_mongo(scope, report_type_field="type")
    found = await Report.find({"$and": [criteria, limits]}).project(_ReportFacts).to_list()
    latest: dict[str, _ReportFacts] = {}
    for report in found:
        best = latest.get(report.region_code)
        if best is None or (report.submitted_at or _NEVER) > (best.submitted_at or _NEVER):
            latest[report.region_code] = report
    return latest


async def _open_cases(
    election: Election, stage: Stage, region_codes: list[str], scope: Scope, now: datetime
) -> dict[str, list[OpenCase]]:
    criteria = {
        "election_id": election.id,
        "stage_code": stage.code,
        "status": {"$ne": CaseStatus.RESOLVED.value},
        "region_code": {"$in": region_codes},
    }
    found = await Case.find({"$and": [criteria, scope_to_mongo(scope)]}).project(_CaseFacts).to_list()
    grouped: dict[str, list[OpenCase]] = {}
    for case in sorted(found, key=lambda case: (case.due_at, str(case.id))):
        grouped.setdefault(case.region_code, []).append(
            OpenCase(
                case.id,
                case.title,
                case.category,
                case.status,
                case.due_at,
                is_overdue(case.status, case.due_at, now),
            )
        )
    return grouped


def _row(region: Region, stage: Stage, report: _ReportFacts | None, cases: list[OpenCase]) -> RegionSupport:
    deadline = logistics_deadline_for(stage, region)
    if report is None:
        return RegionSupport(region=region, logistics_deadline=deadline, open_cases=tuple(cases))
    values = report.values
    delivered_on = as_date(values.get(codes.LOGISTICS_DELIVERED_ON))
    on_time = None if deadline is None or delivered_on is None else delivered_on <= deadline
    return RegionSupport(
        region=region,
        report_id=report.id,
        nphd_signed=as_bool(values.get(codes.NPHD_SIGNED)),
        nphd_amount=as_money(values.get(codes.NPHD_AMOUNT)),
        nphd_disbursed_percent=as_number(values.get(codes.NPHD_DISBURSED_PERCENT)),
        team_decree_in_place=as_bool(values.get(codes.TEAM_DECREE_IN_PLACE)),
        logistics_ready_percent=as_number(values.get(codes.LOGISTICS_READY_PERCENT)),
        logistics_delivered_on=delivered_on,
        logistics_deadline=deadline,
        logistics_on_time=on_time,
        open_cases=tuple(cases),
    )


async def election_support(
    election: Election,
    stage_code: str,
    *,
    scope: Scope,
    wanted: SupportFilter | None = None,
    after: Position | None = None,
    first: int,
    now: datetime | None = None,
) -> Page[RegionSupport]:
    """The support status of the participating regions in the scope, ordered by code (SUPPORT_BY_REGION)."""
    stage = election.stage(stage_code)
    if stage is None:
        raise ElectionError(
            ElectionErrorCode.STAGE_NOT_FOUND,
            Text("elections.stage_not_found", stage_code=stage_code),
            "stage",
        )
    wanted = wanted or SupportFilter()
    regions = await _regions(election, wanted, scope)
    region_codes = [region.id for region in regions]
    reports = await _latest_reports(election, stage, region_codes, scope) if regions else {}
    cases = await _open_cases(election, stage, region_codes, scope, now or utcnow()) if regions else {}
    rows = [
        row
        for row in (
            _row(region, stage, reports.get(region.id), cases.get(region.id, [])) for region in regions
        )
        if wanted.matches(row)
    ]
    return Page.following(rows, lambda row: row.region.id, after, first)
