"""What each export contains: a header and rows, read in batches within the viewer's scope. Values are spelled
as the GraphQL API spells them: records by their global ids (what `node` takes), enum values by their
uppercase names, regions by their codes, people by the username of an account the viewer may see (else
empty, as the API answers null)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from hub.access.principal import Principal
from hub.access.scope import Scope
from hub.access.users import visible_actor_names
from hub.cases.listing import CaseFilter
from hub.cases.listing import filter_criteria as case_criteria
from hub.cases.models import Case
from hub.completeness.services import matrix
from hub.core.clock import utcnow
from hub.core.ids import global_id
from hub.exports.formats import Row
from hub.regions.services import get_regions
from hub.reports.deadlines import is_overdue, was_submitted_late
from hub.reports.listing import ReportFilter
from hub.reports.listing import filter_criteria as report_criteria
from hub.reports.models import Report

BATCH = 500


@dataclass(frozen=True)
class Export:
    name: str
    header: list[str]
    rows: AsyncIterator[Row]


async def _region_names(codes: set[str], cache: dict[str, str]) -> dict[str, str]:
    missing = [code for code in codes if code not in cache]
    if missing:
        found = await get_regions(missing)
        cache.update({code: region.name for code, region in found.items()})
    return cache


async def _reports(viewer: Principal, criteria: dict[str, Any]) -> AsyncIterator[Row]:
    names: dict[str, str] = {}
    now = utcnow()
    after = None
    while True:
        page_criteria = {"$and": [criteria, {"_id": {"$gt": after}}]} if after else criteria
        batch = await Report.find(page_criteria).sort("_id").limit(BATCH).to_list()
        if not batch:
            return
        await _region_names({report.region_code for report in batch}, names)
        authors = await visible_actor_names(viewer, {report.author for report in batch})
        for report in batch:
            yield [
                global_id("Report", report.id),
                report.region_code,
                names.get(report.region_code, ""),
                report.type.name,
                report.period_key if report.period else "",
                report.status.name,
                report.title,
                authors.get(report.author, ""),
                report.risk_level.name if report.risk_level else "",
                report.first_submitted_at,
                report.due_at,
                is_overdue(report.due_at, report.first_submitted_at, now),
                was_submitted_late(report.due_at, report.first_submitted_at),
            ]
        after = batch[-1].id


async def reports_export(viewer: Principal, wanted: ReportFilter) -> Export:
    """The filter is built here, before the first row is asked for: a bad one is refused before any byte."""
    criteria = await report_criteria(wanted, viewer.scope, utcnow())
    header = [
        "id",
        "region_code",
        "region",
        "type",
        "period",
        "status",
        "title",
        "author",
        "risk_level",
        "first_submitted_at",
        "due_at",
        "overdue",
        "submitted_late",
    ]
    return Export("reports", header, _reports(viewer, criteria))


async def _cases(viewer: Principal, criteria: dict[str, Any]) -> AsyncIterator[Row]:
    names: dict[str, str] = {}
    after = None
    while True:
        page_criteria = {"$and": [criteria, {"_id": {"$gt": after}}]} if after else criteria
        batch = await Case.find(page_criteria).sort("_id").limit(BATCH).to_list()
        if not batch:
            return
        await _region_names({case.region_code for case in batch}, names)
        openers = await visible_actor_names(viewer, {case.opened_by for case in batch})
        for case in batch:
            yield [
                global_id("Case", case.id),
                case.region_code,
                names.get(case.region_code, ""),
                case.title,
                case.category.name,
                case.severity.name,
                case.status.name,
                case.due_at,
                case.escalated_to or "",
                openers.get(case.opened_by, ""),
                case.created_at,
            ]
        after = batch[-1].id


async def cases_export(viewer: Principal, wanted: CaseFilter) -> Export:
    """The filter is built here (raising CaseError for an unknown region), before the first row."""
    criteria = await case_criteria(wanted, viewer.scope, utcnow())
    header = [
        "id",
        "region_code",
        "region",
        "title",
        "category",
        "severity",
        "status",
        "due_at",
        "escalated_to",
        "opened_by",
        "created_at",
    ]
    return Export("cases", header, _cases(viewer, criteria))


async def completeness_export(scope: Scope, root: str, period_keys: list[str]) -> Export:
    requirements, rows = await matrix(scope, root, period_keys)
    columns = [str(requirement.id) for requirement in requirements]
    header = ["region_code", "region", "level", *[f"{r.period_key} {r.title}" for r in requirements]]

    async def produce() -> AsyncIterator[Row]:
        for row in rows:
            states = {cell.requirement_id: cell.state.name for cell in row.cells}
            yield [
                row.region.id,
                row.region.name,
                row.region.level.name,
                *[states.get(c, "") for c in columns],
            ]

    return Export("completeness", header, produce())
