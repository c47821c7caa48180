"""A search's filter as Elasticsearch clauses (what it may be narrowed by: hub.searches.filters), its order,
and its cursor (the sort values of the last hit).

Pages are read with `search_after` on a total order: relevance or date, then the record id. A cursor carries
the sort values of the last hit of a page, so paging reaches past the 10,000-hit window of `from`/`size`; it
is sealed like every cursor (hub.core.paging), for its order.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from hub.core.paging import decode_cursor, encode_cursor
from hub.core.regions import es_under
from hub.searches.filters import SearchFilters


class SearchOrder(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


def _range(name: str, low: Any, high: Any) -> list[dict[str, Any]]:
    bounds = {key: value for key, value in (("gte", low), ("lte", high)) if value is not None}
    if not bounds:
        return []
    return [{"range": {name: {key: _value(value) for key, value in bounds.items()}}}]


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def filter_clauses(filters: SearchFilters) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = []
    if filters.region:
        clauses.append(es_under(filters.region))
    for name, values in (
        ("kind", filters.kinds),
        ("report_type", filters.report_types),
        ("status", filters.statuses),
        ("severity", filters.severities),
    ):
        if values:
            clauses.append({"terms": {name: sorted(set(values))}})
    clauses += _range("period_key", filters.period_from, filters.period_to)
    clauses += _range("date", filters.date_from, filters.date_to)
    created = {
        key: _value(value)
        for key, value in (("gt", filters.created_after), ("lte", filters.created_until))
        if value is not None
    }
    if created:
        clauses.append({"range": {"created_at": created}})
    wanted = {kind: values for kind, values in filters.categories.items() if values}
    if wanted:
        clauses.append(
            {
                "bool": {
                    "should": [
                        {
                            "bool": {
                                "filter": [
                                    {"term": {"kind": kind}},
                                    {"terms": {"category": sorted(set(values))}},
                                ]
                            }
                        }
                        for kind, values in sorted(wanted.items())
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
    return clauses


def sort_clause(order: SearchOrder, has_text: bool) -> list[dict[str, Any]]:
    """A total order: every sort ends with the record id, so equal scores or dates still page stably."""
    if order is SearchOrder.OLDEST:
        return [{"date": {"order": "asc"}}, {"record_id": {"order": "asc"}}]
    newest = [{"date": {"order": "desc"}}, {"record_id": {"order": "desc"}}]
    if order is SearchOrder.RELEVANCE and has_text:
        return [{"_score": {"order": "desc"}}, *newest]
    return newest


def _cursor_kind(order: SearchOrder) -> str:
    return f"search-{order.value}"


def encode_search_cursor(order: SearchOrder, values: list[Any]) -> str:
    """A cursor for the hit with these sort values, valid only for the same order."""
    return encode_cursor(_cursor_kind(order), values)


def decode_search_cursor(order: SearchOrder, cursor: str, length: int) -> list[Any]:
    """The sort values in a cursor made by the same order (PaginationError for anything else)."""
    return decode_cursor(_cursor_kind(order), cursor, length)
