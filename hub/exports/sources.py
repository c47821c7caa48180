"""What the report and incident exports contain: a header and rows, read in batches within the viewer's scope.
Values are spelled as the GraphQL API spells them: records by their global ids (what `node` takes), enum
values by their uppercase names, regions by their codes, people by the username of an account the viewer may
see (else empty, as the API answers null). Indicator values and narratives get one column each, named after
the indicator or section code of the report types' current templates (`value.parties_active`,
`narrative.analysis`); a value of an indicator those templates no longer have goes to `other_values` (JSON).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from hub.access.principal import Principal
from hub.access.users import visible_actor_names
from hub.core.clock import utcnow
from hub.core.ids import global_id
from hub.exports.columns import Column, Export, batches, export_of, select
from hub.exports.formats import Row
from hub.regions.services import get_regions
from hub.reports.deadlines import is_overdue, was_submitted_late
from hub.reports.listing import ReportFilter
from hub.reports.listing import filter_criteria as report_criteria
from hub.reports.models import Report, ReportType, TemplateContent
from hub.reports.templates import current_template

REPORT_COLUMNS = [
    Column("id", None),
    Column("region_code", None),
    Column("region", None),
    Column("type", None),
    Column("period", None),
    Column("status", "Report.status"),
    Column("title", "Report.title"),
    Column("author", "Report.author"),
    Column("risk_level", "Report.riskLevel"),
    Column("first_submitted_at", "Report.submittedAt"),
    Column("due_at", "Report.dueAt"),
    Column("overdue", "Report.overdue"),
    Column("submitted_late", "Report.submittedLate"),
]
INCIDENT_COLUMNS = [
    Column(f"incident_{name}", "Report.incident")
    for name in (
        "category",
        "severity",
        "occurred_at",
        "place",
        "latitude",
        "longitude",
        "participants",
        "injured",
        "dead",
        "arrested",
        "follow_up",
    )
]


async def region_names(codes: set[str], cache: dict[str, str]) -> dict[str, str]:
    missing = [code for code in codes if code not in cache]
    if missing:
        found = await get_regions(missing)
        cache.update({code: region.name for code, region in found.items()})
    return cache


async def _templates(wanted: ReportFilter) -> list[TemplateContent]:
    found = [await current_template(kind) for kind in wanted.types or list(ReportType)]
    return [template for template in found if template is not None]


def _incident(report: Report) -> dict[str, Any]:
    details = report.incident
    if details is None:
        return {}
    people = details.people
    return {
        "incident_category": details.category.name,
        "incident_severity": details.severity.name,
        "incident_occurred_at": details.occurred_at,
        "incident_place": details.place,
        "incident_latitude": details.latitude,
        "incident_longitude": details.longitude,
        "incident_participants": people.participants,
        "incident_injured": people.injured,
        "incident_dead": people.dead,
        "incident_arrested": people.arrested,
        "incident_follow_up": details.follow_up,
    }


def _text(value: Any) -> Any:
    """An indicator value as a cell: a boolean as the API's `true`/`false`, the others as they are."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _values(report: Report, codes: set[str]) -> dict[str, Any]:
    cells: dict[str, Any] = {
        f"value.{code}": _text(value) for code, value in report.values.items() if code in codes
    }
    cells |= {f"narrative.{code}": text for code, text in report.narratives.items()}
    others = {code: value for code, value in report.values.items() if code not in codes}
    cells["other_values"] = json.dumps(others, ensure_ascii=False, default=str) if others else ""
    return cells


async def _reports(
    viewer: Principal, criteria: dict[str, Any], columns: list[Column], codes: set[str]
) -> AsyncIterator[Row]:
    names: dict[str, str] = {}
    now = utcnow()
    async for batch in batches(Report, criteria):
        await region_names({report.region_code for report in batch}, names)
        authors = await visible_actor_names(viewer, {report.author for report in batch})
        for report in batch:
            cells = {
                "id": global_id("Report", report.id),
                "region_code": report.region_code,
                "region": names.get(report.region_code, ""),
                "type": report.type.name,
                "period": report.period_key if report.period else "",
                "status": report.status.name,
                "title": report.title,
                "author": authors.get(report.author, ""),
                "risk_level": report.risk_level.name if report.risk_level else "",
                "first_submitted_at": report.first_submitted_at,
                "due_at": report.due_at,
                "overdue": is_overdue(report.due_at, report.first_submitted_at, now),
                "submitted_late": was_submitted_late(report.due_at, report.first_submitted_at),
            }
            yield select(columns, cells | _incident(report) | _values(report, codes))


async def reports_export(viewer: Principal, wanted: ReportFilter, name: str = "reports") -> Export:
    """The filter is built here, before the first row is asked for: a bad one is refused before any byte."""
    criteria = await report_criteria(wanted, viewer.scope, utcnow())
    templates = await _templates(wanted)
    codes = {indicator.code: None for template in templates for indicator in template.indicators()}
    sections = {section.code: None for template in templates for section in template.sections}
    incidents = not wanted.types or ReportType.INCIDENT in wanted.types
    columns = [
        *REPORT_COLUMNS,
        *(INCIDENT_COLUMNS if incidents else []),
        *[Column(f"value.{code}", "Report.values") for code in codes],
        Column("other_values", "Report.values"),
        *[Column(f"narrative.{code}", "Report.narratives") for code in sections],
    ]
    return export_of(name, columns, viewer.scope, lambda shown: _reports(viewer, criteria, shown, set(codes)))
