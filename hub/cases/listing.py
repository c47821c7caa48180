"""Listing cases: filters, the scope, a stable order and keyset pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import Any

from beanie import PydanticObjectId, SortDirection

from hub.access.scope import Scope, scope_to_mongo
from hub.cases.errors import CaseError, CaseErrorCode
from hub.cases.models import Case, CaseCategory, CaseStatus
from hub.cases.rules import OPEN_STATUSES
from hub.core.paging import Keyset, Page, Position
from hub.i18n import Text
from hub.regions.services import under_region
from hub.reports.models import RiskLevel
from hub.sync.since import listing_keyset, since_criteria


class CaseOrder(StrEnum):
    DUE_AT_ASC = "due_at_asc"
    DUE_AT_DESC = "due_at_desc"
    CREATED_AT_ASC = "created_at_asc"
    CREATED_AT_DESC = "created_at_desc"

    @property
    def field(self) -> str:
        return "due_at" if self in {CaseOrder.DUE_AT_ASC, CaseOrder.DUE_AT_DESC} else "created_at"

    @property
    def direction(self) -> SortDirection:
        return SortDirection.ASCENDING if self.value.endswith("_asc") else SortDirection.DESCENDING

    @property
    def keyset(self) -> Keyset:
        """Each order has its own cursors: one made for another order is refused."""
        return Keyset(f"cases-{self.value}", ((self.field, self.direction), ("_id", self.direction)))


@dataclass(frozen=True)
class CaseFilter:
    region: str | None = None  # a region code: it and every region below it
    statuses: list[CaseStatus] = field(default_factory=list)
    categories: list[CaseCategory] = field(default_factory=list)
    severities: list[RiskLevel] = field(default_factory=list)
    overdue: bool | None = None
    due_after: datetime | None = None
    due_before: datetime | None = None
    stage_code: str | None = None
    source_report_id: PydanticObjectId | None = None
    assignee_id: PydanticObjectId | None = None
    updated_since: datetime | None = None  # changes only, in the sync order (hub.sync.since)

    def keyset(self, order: CaseOrder) -> Keyset:
        """The order the listing answers in: the sync order when asked for changes."""
        return listing_keyset("cases", self.updated_since, order.keyset)


async def filter_criteria(case_filter: CaseFilter, scope: Scope, now: datetime) -> dict[str, Any]:
    """The Mongo filter: every given condition and the scope, ANDed."""
    clauses: list[dict[str, Any]] = [scope_to_mongo(scope)]
    clauses.append(
        await under_region(
            case_filter.region, refuse=partial(CaseError, CaseErrorCode.REGION_NOT_FOUND, field="region")
        )
    )
    if case_filter.statuses:
        clauses.append({"status": {"$in": [status.value for status in case_filter.statuses]}})
    if case_filter.categories:
        clauses.append({"category": {"$in": [category.value for category in case_filter.categories]}})
    if case_filter.severities:
        clauses.append({"severity": {"$in": [severity.value for severity in case_filter.severities]}})
    open_values = [status.value for status in OPEN_STATUSES]
    if case_filter.overdue is True:
        clauses.append({"status": {"$in": open_values}, "due_at": {"$lt": now}})
    elif case_filter.overdue is False:
        clauses.append({"$or": [{"status": {"$nin": open_values}}, {"due_at": {"$gte": now}}]})
    if case_filter.due_after and case_filter.due_before and case_filter.due_after >= case_filter.due_before:
        raise CaseError(CaseErrorCode.INVALID_FILTER, Text("cases.due_range"), "dueAfter")
    if case_filter.due_after is not None:
        clauses.append({"due_at": {"$gt": case_filter.due_after}})
    if case_filter.due_before is not None:
        clauses.append({"due_at": {"$lt": case_filter.due_before}})
    if case_filter.stage_code is not None:
        clauses.append({"stage_code": case_filter.stage_code})
    if case_filter.source_report_id is not None:
        clauses.append({"source_report_id": case_filter.source_report_id})
    if case_filter.assignee_id is not None:
        clauses.append({"assignee_id": case_filter.assignee_id})
    clauses.append(since_criteria(case_filter.updated_since, now))
    clauses = [clause for clause in clauses if clause]
    return {"$and": clauses} if clauses else {}


_BY_CREATION = {
    CaseOrder.DUE_AT_ASC: CaseOrder.CREATED_AT_ASC,
    CaseOrder.DUE_AT_DESC: CaseOrder.CREATED_AT_DESC,
}


def order_for(scope: Scope, order: CaseOrder) -> CaseOrder:
    """The order a viewer gets: a partner grant without `Case.dueAt` gets creation order instead of due
    order, which would tell the due dates. (A partner asking for a due order outright is refused before
    this, hub.access.disclosure; this is for the default.)"""
    if order in _BY_CREATION and not scope.allows_field("Case", "dueAt"):
        return _BY_CREATION[order]
    return order


async def list_cases(
    case_filter: CaseFilter,
    scope: Scope,
    *,
    order: CaseOrder,
    after: Position | None,
    first: int,
    now: datetime,
) -> Page[Case]:
    """The cases the filter and the scope select, in the order's keyset (the sync order for changes)."""
    criteria = await filter_criteria(case_filter, scope, now)
    return await case_filter.keyset(order).page(Case, criteria, after, first)
