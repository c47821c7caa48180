"""Listing cases: filters, the scope, a stable order and keyset pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from beanie import PydanticObjectId, SortDirection

from hub.access.scope import Scope, scope_to_mongo
from hub.cases.errors import CaseError, CaseErrorCode
from hub.cases.models import Case, CaseCategory, CaseStatus
from hub.cases.rules import OPEN_STATUSES
from hub.regions.services import get_region
from hub.reports.models import RiskLevel


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


@dataclass(frozen=True)
class CasePosition:
    """Where a page ends: the sort value and the id that breaks ties."""

    value: datetime
    id: PydanticObjectId


@dataclass(frozen=True)
class CasePage:
    items: list[Case]
    total_count: int
    has_next_page: bool


async def filter_criteria(case_filter: CaseFilter, scope: Scope, now: datetime) -> dict[str, Any]:
    """The Mongo filter: every given condition and the scope, ANDed."""
    clauses: list[dict[str, Any]] = [scope_to_mongo(scope)]
    if case_filter.region is not None:
        region = await get_region(case_filter.region.strip())
        if region is None:
            raise CaseError(
                CaseErrorCode.REGION_NOT_FOUND, f"no region has the code {case_filter.region!r}", "region"
            )
        clauses.append({"region_path": region.id})
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
        raise CaseError(CaseErrorCode.INVALID_FILTER, "`dueAfter` must be before `dueBefore`", "dueAfter")
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
    clauses = [clause for clause in clauses if clause]
    return {"$and": clauses} if clauses else {}


def _after(order: CaseOrder, position: CasePosition) -> dict[str, Any]:
    beyond = "$gt" if order.direction is SortDirection.ASCENDING else "$lt"
    return {
        "$or": [
            {order.field: {beyond: position.value}},
            {order.field: position.value, "_id": {beyond: position.id}},
        ]
    }


def sort_value(case: Case, order: CaseOrder) -> datetime:
    return case.due_at if order.field == "due_at" else case.created_at


async def list_cases(
    case_filter: CaseFilter,
    scope: Scope,
    *,
    order: CaseOrder,
    after: CasePosition | None,
    first: int,
    now: datetime,
) -> CasePage:
    criteria = await filter_criteria(case_filter, scope, now)
    total = await Case.find(criteria).count()
    page = criteria
    if after is not None:
        page = {"$and": [criteria, _after(order, after)]} if criteria else _after(order, after)
    sort = [(order.field, order.direction), ("_id", order.direction)]
    items = await Case.find(page).sort(sort).limit(first + 1).to_list()
    return CasePage(items=items[:first], total_count=total, has_next_page=len(items) > first)
