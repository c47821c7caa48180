"""Listing reports: filters, a stable order and keyset pagination, always inside the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from beanie import PydanticObjectId, SortDirection
from pydantic import BaseModel, ConfigDict, Field

from hub.access.principal import Principal
from hub.access.scope import Scope, scope_to_mongo
from hub.core.clock import utcnow
from hub.core.paging import Keyset, Page, Position
from hub.regions.services import under_region
from hub.reports.errors import ReportError, ReportErrorCode
from hub.reports.models import (
    IncidentCategory,
    IncidentDetails,
    Period,
    Report,
    ReportStatus,
    ReportType,
    RiskLevel,
)
from hub.reports.workflow import review_queue_criteria
from hub.sync.since import listing_keyset, since_criteria


class ReportOrder(StrEnum):
    NEWEST = "newest"  # created_at descending
    DUE_SOONEST = "due_soonest"  # due_at ascending
    PERIOD = "period"  # period_key descending

    @property
    def keyset(self) -> Keyset:
        """The order, ties broken by id; each order has its own cursors."""
        name, direction = _ORDER[self]
        return Keyset(f"reports-{self.value}", ((name, direction), ("_id", direction)))


_ORDER: dict[ReportOrder, tuple[str, SortDirection]] = {
    ReportOrder.NEWEST: ("created_at", SortDirection.DESCENDING),
    ReportOrder.DUE_SOONEST: ("due_at", SortDirection.ASCENDING),
    ReportOrder.PERIOD: ("period_key", SortDirection.DESCENDING),
}


class ReportSummary(BaseModel):
    """A report without its text: no narratives, indicator values, evidence, revisions or reviews, which make
    up nearly all of a stored report and which a list page rarely shows. Read with a projection, so those
    are neither sent by MongoDB nor decoded and validated here."""

    model_config = ConfigDict(populate_by_name=True)

    id: PydanticObjectId = Field(alias="_id")
    region_code: str
    region_path: list[str]
    type: ReportType
    template_version: int
    period: Period | None = None
    period_key: str
    title: str
    risk_level: RiskLevel | None = None
    incident: IncidentDetails | None = None
    stage_code: str | None = None
    election_id: PydanticObjectId | None = None
    status: ReportStatus
    revision: int = 0
    author: str
    last_reviewer: str | None = None
    first_submitted_at: datetime | None = None
    submitted_at: datetime | None = None
    due_at: datetime
    version: int = 1
    created_at: datetime
    updated_at: datetime = Field(default_factory=utcnow)  # as on Report


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
    updated_since: datetime | None = None  # changes only, in the sync order (hub.sync.since)
    reviewer: Principal | None = None  # only the submitted reports this principal may review now

    def keyset(self, order: ReportOrder) -> Keyset:
        """The order the listing answers in: the sync order when asked for changes."""
        return listing_keyset("reports", self.updated_since, order.keyset)


def _checked_period(key: str, field: str) -> str:
    try:
        return Period.from_key(key).key
    except ValueError:
        raise ReportError(
            ReportErrorCode.INVALID_PERIOD, f"`{field}` must be a period like 2026-Q1, not {key!r}", field
        ) from None


async def filter_criteria(wanted: ReportFilter, scope: Scope, now: datetime) -> dict[str, Any]:
    """The Mongo filter: every given condition and the scope, ANDed (an unknown region matches nothing).
    A period that is not one is refused (INVALID_PERIOD), naming the filter's field."""
    parts: list[dict[str, Any]] = [scope_to_mongo(scope, report_type_field="type")]
    parts.append(await under_region(wanted.region or None))
    if wanted.types:
        parts.append({"type": {"$in": [value.value for value in wanted.types]}})
    if wanted.statuses:
        parts.append({"status": {"$in": [value.value for value in wanted.statuses]}})
    if wanted.risk_levels:
        parts.append({"risk_level": {"$in": [value.value for value in wanted.risk_levels]}})
    if wanted.categories:
        parts.append({"incident.category": {"$in": [value.value for value in wanted.categories]}})
    if wanted.period_from:
        parts.append({"period_key": {"$gte": _checked_period(wanted.period_from, "periodFrom")}})
    if wanted.period_to:
        parts.append({"period_key": {"$lte": _checked_period(wanted.period_to, "periodTo")}})
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
    if wanted.reviewer is not None:
        parts.append(review_queue_criteria(wanted.reviewer))
    parts.append(since_criteria(wanted.updated_since, now))
    parts = [part for part in parts if part]
    return {"$and": parts} if parts else {}


async def list_reports(
    wanted: ReportFilter, scope: Scope, *, order: ReportOrder, after: Position | None, first: int
) -> Page[Report]:
    """The reports the filter and the scope select, in the order's keyset (the sync order for changes)."""
    criteria = await filter_criteria(wanted, scope, utcnow())
    return await wanted.keyset(order).page(Report, criteria, after, first)


async def list_report_summaries(
    wanted: ReportFilter, scope: Scope, *, order: ReportOrder, after: Position | None, first: int
) -> Page[ReportSummary]:
    """As list_reports, each report as its summary."""
    criteria = await filter_criteria(wanted, scope, utcnow())
    return await wanted.keyset(order).page(Report, criteria, after, first, projection=ReportSummary)
