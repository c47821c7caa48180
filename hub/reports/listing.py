"""Listing reports: filters, a stable order and keyset pagination, always inside the viewer's scope."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from beanie import PydanticObjectId, SortDirection

from hub.access.scope import Scope, scope_to_mongo
from hub.core.clock import utcnow
from hub.reports.models import IncidentCategory, Report, ReportStatus, ReportType, RiskLevel


class ReportOrder(StrEnum):
    NEWEST = "newest"  # created_at descending
    DUE_SOONEST = "due_soonest"  # due_at ascending
    PERIOD = "period"  # period_key descending


_ORDER: dict[ReportOrder, tuple[str, SortDirection]] = {
    ReportOrder.NEWEST: ("created_at", SortDirection.DESCENDING),
    ReportOrder.DUE_SOONEST: ("due_at", SortDirection.ASCENDING),
    ReportOrder.PERIOD: ("period_key", SortDirection.DESCENDING),
}


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class ReportFilter:
    region: str | None = None  # subtree root
    types: list[ReportType] = field(default_factory=list)
    statuses: list[ReportStatus] = field(default_factory=list)
    risk_levels: list[RiskLevel] = field(default_factory=list)
    categories: list[IncidentCategory] = field(default_factory=list)
    period_from: str | None = None  # "2026-Q1"
    period_to: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    overdue: bool | None = None
    author: str | None = None  # actor, e.g. "user:siti"
    stage_code: str | None = None


def filter_criteria(scope: Scope, wanted: ReportFilter, now: datetime) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [scope_to_mongo(scope, report_type_field="type")]
    if wanted.region:
        parts.append({"region_path": wanted.region})
    if wanted.types:
        parts.append({"type": {"$in": [value.value for value in wanted.types]}})
    if wanted.statuses:
        parts.append({"status": {"$in": [value.value for value in wanted.statuses]}})
    if wanted.risk_levels:
        parts.append({"risk_level": {"$in": [value.value for value in wanted.risk_levels]}})
    if wanted.categories:
        parts.append({"incident.category": {"$in": [value.value for value in wanted.categories]}})
    if wanted.period_from:
        parts.append({"period_key": {"$gte": wanted.period_from}})
    if wanted.period_to:
        parts.append({"period_key": {"$lte": wanted.period_to}})
    if wanted.created_from:
        parts.append({"created_at": {"$gte": wanted.created_from}})
    if wanted.created_to:
        parts.append({"created_at": {"$lt": wanted.created_to}})
    if wanted.overdue is True:
        parts.append({"first_submitted_at": None, "due_at": {"$lt": now}})
    elif wanted.overdue is False:
        parts.append({"$or": [{"first_submitted_at": {"$ne": None}}, {"due_at": {"$gte": now}}]})
    if wanted.author:
        parts.append({"author": wanted.author})
    if wanted.stage_code:
        parts.append({"stage_code": wanted.stage_code})
    parts = [part for part in parts if part]
    return {"$and": parts} if parts else {}


def encode_cursor(report: Report, order: ReportOrder) -> str:
    key, _ = _ORDER[order]
    value = getattr(report, key)
    raw = json.dumps([value.isoformat() if isinstance(value, datetime) else value, str(report.id)])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _after(cursor: str, order: ReportOrder) -> dict[str, Any]:
    key, direction = _ORDER[order]
    try:
        value, object_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        oid = PydanticObjectId(object_id)
        if key != "period_key":
            value = datetime.fromisoformat(value)
    except (binascii.Error, ValueError, TypeError, json.JSONDecodeError):
        raise InvalidCursor(f"the cursor {cursor!r} is not valid for this order") from None
    beyond = "$lt" if direction is SortDirection.DESCENDING else "$gt"
    return {"$or": [{key: {beyond: value}}, {key: value, "_id": {beyond: oid}}]}


async def list_reports(
    scope: Scope, wanted: ReportFilter, *, order: ReportOrder, first: int, after: str | None
) -> tuple[list[Report], int, bool]:
    """(page, total count, has next page)."""
    criteria = filter_criteria(scope, wanted, utcnow())
    total = await Report.find(criteria).count()
    page_criteria = {"$and": [criteria, _after(after, order)]} if after else criteria
    key, direction = _ORDER[order]
    sort = [(key, direction), ("_id", direction)]
    found = await Report.find(page_criteria).sort(sort).limit(first + 1).to_list()
    return found[:first], total, len(found) > first
