"""What a search may be narrowed by, and the one reading of a filter given as plain values: the `search`
field's `filter` (the schema hands it over as plain values) and a saved search's stored filter (the schema's
`results` and `newCount`, and the worker's periodic check) all become `SearchFilters` here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PERIOD = re.compile(r"^\d{4}-Q[1-4]$")
# Stored name -> the GraphQL name an error points at.
_PERIODS = (("period_from", "periodFrom"), ("period_to", "periodTo"))
# The kinds of record whose categories are filtered apart (their values overlap).
_CATEGORIES = (
    ("incident", "incident_categories"),
    ("case", "case_categories"),
    ("document", "document_categories"),
)


class InvalidSearchFilter(ValueError):
    """A filter whose value cannot be read; `field` is its GraphQL path (`filter.periodFrom`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class SearchFilters:
    """Every part narrows the results; empty parts do nothing."""

    region: str | None = None  # a region code: it and everything below it
    kinds: tuple[str, ...] = ()  # report, incident, case, document
    report_types: tuple[str, ...] = ()
    period_from: str | None = None  # `2026-Q1`, inclusive
    period_to: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    statuses: tuple[str, ...] = ()
    # Categories per kind (`incident`, `case`, `document`): the values overlap between kinds.
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)
    severities: tuple[str, ...] = ()
    exclude_ids: tuple[str, ...] = ()
    # When the record entered the hub (not its own date): saved searches count what is new since a moment.
    created_after: datetime | None = None  # exclusive
    created_until: datetime | None = None  # inclusive


def _values(given: Mapping[str, Any], name: str) -> tuple[str, ...]:
    return tuple(str(value) for value in given.get(name) or ())


def read_filter(given: Mapping[str, Any]) -> SearchFilters:
    """A filter as plain values under its snake_case names (enum values as their strings, datetimes), as a
    saved search stores it. A period that is not like `2026-Q1` raises InvalidSearchFilter."""
    for name, label in _PERIODS:
        period = given.get(name)
        if period is not None and not (isinstance(period, str) and PERIOD.match(period)):
            raise InvalidSearchFilter(f"filter.{label}", f"`filter.{label}` must look like 2026-Q1")
    categories = {kind: _values(given, name) for kind, name in _CATEGORIES}
    return SearchFilters(
        region=given.get("region"),
        kinds=_values(given, "kinds"),
        report_types=_values(given, "report_types"),
        period_from=given.get("period_from"),
        period_to=given.get("period_to"),
        date_from=given.get("date_from"),
        date_to=given.get("date_to"),
        statuses=_values(given, "report_statuses") + _values(given, "case_statuses"),
        categories={kind: values for kind, values in categories.items() if values},
        severities=_values(given, "severities"),
    )
