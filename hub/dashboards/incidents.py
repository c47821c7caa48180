"""Incident figures under a region: by severity, category, child region and week, in one aggregation.

Counted: incident reports in every status but draft, by `incident.occurred_at` in [since, until). Weeks are
ISO weeks starting Monday 00:00 WIB (UTC+7, the ministry's time), numbered by the ISO calendar; every week
the range touches is listed, with 0 where nothing happened. The stages run on the development server
(mongo-java-server) too: $facet, $group, $arrayElemAt, $subtract of dates, $floor and $divide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hub.access.scope import scope_to_mongo
from hub.core.regions import mongo_under
from hub.dashboards.frame import Frame
from hub.early_warning.service import counted_incidents
from hub.regions.models import Region
from hub.reports.models import IncidentCategory, Report, RiskLevel

WIB = timezone(timedelta(hours=7), "WIB")
WEEK = timedelta(days=7)
WEEK_MS = 7 * 86_400_000
# A Monday, 00:00 WIB: weeks are counted from it.
WEEK_ANCHOR = datetime(1970, 1, 5, tzinfo=WIB)


@dataclass(frozen=True)
class WeekCount:
    start: datetime  # Monday 00:00 WIB, as an instant
    iso_week: str  # 2038-W05
    count: int


@dataclass(frozen=True)
class RegionCount:
    region: Region
    count: int


@dataclass(frozen=True)
class IncidentFigures:
    total: int
    by_severity: dict[RiskLevel, int]
    by_category: dict[IncidentCategory, int]
    by_region: list[RegionCount]  # every child of the frame's region, 0 included
    filed_at_region: int  # filed by the region itself rather than a child
    by_week: list[WeekCount]


def week_of(instant: datetime) -> int:
    return (instant - WEEK_ANCHOR) // WEEK


def week_start(index: int) -> datetime:
    return WEEK_ANCHOR + index * WEEK


def iso_week(index: int) -> str:
    year, week, _ = week_start(index).astimezone(WIB).isocalendar()
    return f"{year}-W{week:02d}"


def in_frame(frame: Frame) -> dict[str, Any]:
    criteria = counted_incidents(frame.since, frame.until)
    criteria |= mongo_under(frame.region.id)
    return {"$and": [criteria, scope_to_mongo(frame.scope, report_type_field="type")]}


def _pipeline(frame: Frame) -> list[dict[str, Any]]:
    def by(key: Any) -> list[dict[str, Any]]:
        return [{"$group": {"_id": key, "n": {"$sum": 1}}}]

    week = {"$floor": {"$divide": [{"$subtract": ["$incident.occurred_at", WEEK_ANCHOR]}, WEEK_MS]}}
    return [
        {"$match": in_frame(frame)},
        {
            "$facet": {
                "severity": by("$incident.severity"),
                "category": by("$incident.category"),
                "child": by({"$arrayElemAt": ["$region_path", frame.depth + 1]}),
                "week": by(week),
            }
        },
    ]


def _counts(rows: list[dict[str, Any]]) -> dict[Any, int]:
    return {row["_id"]: int(row["n"]) for row in rows}


async def incident_figures(frame: Frame) -> IncidentFigures:
    cursor = await Report.get_pymongo_collection().aggregate(_pipeline(frame))
    facets: dict[str, list[dict[str, Any]]] = next(iter(await cursor.to_list()), {})
    severity = _counts(facets.get("severity", []))
    category = _counts(facets.get("category", []))
    child = _counts(facets.get("child", []))
    weeks = {int(key): count for key, count in _counts(facets.get("week", [])).items() if key is not None}
    first, last = week_of(frame.since), week_of(frame.until - timedelta(milliseconds=1))
    return IncidentFigures(
        total=sum(severity.values()),
        by_severity={level: severity.get(level.value, 0) for level in RiskLevel},
        by_category={kind: category.get(kind.value, 0) for kind in IncidentCategory},
        by_region=[RegionCount(region, child.get(region.id, 0)) for region in frame.children],
        filed_at_region=child.get(None, 0),
        by_week=[
            WeekCount(week_start(index).astimezone(UTC), iso_week(index), weeks.get(index, 0))
            for index in range(first, last + 1)
        ],
    )
