"""A saved search's filter: the `search` field's own `SearchFilter` input, stored as plain values (snake_case
names, enum values, datetimes: schema.search.filters.plain_filter) and shown back as `SavedSearchFilter`.
It runs through hub.searches.filters.read_filter, the same reading the `search` field's filter gets."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, get_type_hints

import strawberry
from pydantic import TypeAdapter

from schema.cases.types import CaseCategory, CaseStatus
from schema.documents.types import DocumentCategory
from schema.reports.types import IncidentCategory, ReportStatus, ReportType, RiskLevel
from schema.search.types import SearchFilter, SearchKind


def _saved(name: str, detail: str = "") -> str:
    return f"`SearchFilter.{name}` as saved{detail}; null when it was not given."


@strawberry.type(description="The filter of a saved search: the parts of `SearchFilter` it was saved with.")
class SavedSearchFilter:
    region: str | None = strawberry.field(default=None, description=_saved("region", " (its code)"))
    kinds: list[SearchKind] | None = strawberry.field(default=None, description=_saved("kinds"))
    report_types: list[ReportType] | None = strawberry.field(default=None, description=_saved("reportTypes"))
    period_from: str | None = strawberry.field(default=None, description=_saved("periodFrom"))
    period_to: str | None = strawberry.field(default=None, description=_saved("periodTo"))
    date_from: datetime | None = strawberry.field(default=None, description=_saved("dateFrom"))
    date_to: datetime | None = strawberry.field(default=None, description=_saved("dateTo"))
    report_statuses: list[ReportStatus] | None = strawberry.field(
        default=None, description=_saved("reportStatuses")
    )
    case_statuses: list[CaseStatus] | None = strawberry.field(
        default=None, description=_saved("caseStatuses")
    )
    incident_categories: list[IncidentCategory] | None = strawberry.field(
        default=None, description=_saved("incidentCategories")
    )
    case_categories: list[CaseCategory] | None = strawberry.field(
        default=None, description=_saved("caseCategories")
    )
    document_categories: list[DocumentCategory] | None = strawberry.field(
        default=None, description=_saved("documentCategories")
    )
    severities: list[RiskLevel] | None = strawberry.field(default=None, description=_saved("severities"))


@cache
def _adapters() -> dict[str, TypeAdapter[Any]]:
    return {name: TypeAdapter(hint) for name, hint in get_type_hints(SearchFilter).items()}


def _typed(stored: dict[str, Any]) -> dict[str, Any]:
    adapters = _adapters()
    return {name: adapters[name].validate_python(value) for name, value in stored.items() if name in adapters}


def filter_input(stored: dict[str, Any]) -> SearchFilter:
    """The stored filter as the `search` field's input again."""
    return SearchFilter(**_typed(stored))


def filter_output(stored: dict[str, Any]) -> SavedSearchFilter:
    return SavedSearchFilter(**_typed(stored))
