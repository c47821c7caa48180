"""Open and overdue cases under a region, by category and severity, in one aggregation.

Cases are a current state, not a period's: every case open or in progress now, whenever it was opened;
overdue = open past its due date (hub.cases.rules.is_overdue). The dashboard's time range does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.access.scope import scope_to_mongo
from hub.cases.models import Case, CaseCategory
from hub.cases.rules import OPEN_STATUSES
from hub.core.regions import mongo_under
from hub.dashboards.frame import Frame
from hub.reports.models import RiskLevel


@dataclass(frozen=True)
class OpenOverdue:
    open: int
    overdue: int


@dataclass(frozen=True)
class CaseFigures:
    open: int
    overdue: int
    by_category: dict[CaseCategory, OpenOverdue]
    by_severity: dict[RiskLevel, OpenOverdue]


def _pipeline(frame: Frame, now: datetime) -> list[dict[str, Any]]:
    criteria = {
        **mongo_under(frame.region.id),
        "status": {"$in": [status.value for status in OPEN_STATUSES]},
    }
    overdue = {"$match": {"due_at": {"$lt": now}}}

    def by(key: str) -> list[dict[str, Any]]:
        return [{"$group": {"_id": key, "n": {"$sum": 1}}}]

    return [
        {"$match": {"$and": [criteria, scope_to_mongo(frame.scope)]}},
        {
            "$facet": {
                "category": by("$category"),
                "severity": by("$severity"),
                "overdue_category": [overdue, *by("$category")],
                "overdue_severity": [overdue, *by("$severity")],
            }
        },
    ]


async def case_figures(frame: Frame, now: datetime) -> CaseFigures:
    cursor = await Case.get_pymongo_collection().aggregate(_pipeline(frame, now))
    facets: dict[str, list[dict[str, Any]]] = next(iter(await cursor.to_list()), {})

    def counts(name: str) -> dict[str, int]:
        return {row["_id"]: int(row["n"]) for row in facets.get(name, [])}

    category, late_category = counts("category"), counts("overdue_category")
    severity, late_severity = counts("severity"), counts("overdue_severity")
    return CaseFigures(
        open=sum(category.values()),
        overdue=sum(late_category.values()),
        by_category={
            kind: OpenOverdue(category.get(kind.value, 0), late_category.get(kind.value, 0))
            for kind in CaseCategory
        },
        by_severity={
            level: OpenOverdue(severity.get(level.value, 0), late_severity.get(level.value, 0))
            for level in RiskLevel
        },
    )
