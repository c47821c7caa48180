"""What a principal may see, and the only two places that turn it into a database or search filter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.core.regions import es_under_any, mongo_under_any

# Grant fields named before the API field they stand for existed: either name grants the field.
FIELD_ALIASES: dict[str, frozenset[str]] = {"Document.extractedText": frozenset({"Document.text"})}


@dataclass(frozen=True)
class Scope:
    """Region subtrees (None = the whole country), plus a partner grant's report types and field whitelist."""

    region_roots: frozenset[str] | None
    report_types: frozenset[str] | None = None
    fields: frozenset[str] | None = None
    expires_at: datetime | None = None

    @classmethod
    def everything(cls) -> Scope:
        return cls(region_roots=None)

    @classmethod
    def nothing(cls) -> Scope:
        return cls(region_roots=frozenset())

    @classmethod
    def subtrees(cls, roots: Iterable[str], **limits: Any) -> Scope:
        return cls(region_roots=frozenset(roots), **limits)

    @property
    def is_empty(self) -> bool:
        return self.region_roots is not None and not self.region_roots

    def covers(self, region_path: Iterable[str]) -> bool:
        """Whether a record whose region has this path (ancestors + itself) lies inside the scope."""
        if self.region_roots is None:
            return True
        return not self.region_roots.isdisjoint(region_path)

    def allows_report_type(self, report_type: str) -> bool:
        return self.report_types is None or report_type in self.report_types

    def allows_field(self, type_name: str, field_name: str) -> bool:
        if self.fields is None:
            return True
        name = f"{type_name}.{field_name}"
        return name in self.fields or not self.fields.isdisjoint(FIELD_ALIASES.get(name, ()))


def scope_to_mongo(scope: Scope, *, report_type_field: str | None = None) -> dict[str, Any]:
    """The MongoDB filter of a scope. Combine with `$and`; an empty scope matches nothing.

    `report_type_field` names the field holding a report type, for collections of reports: a partner grant
    limited to some report types then sees only those.
    """
    criteria: dict[str, Any] = {}
    if scope.region_roots is not None:
        criteria.update(mongo_under_any(scope.region_roots))
    if report_type_field and scope.report_types is not None:
        criteria[report_type_field] = {"$in": sorted(scope.report_types)}
    return criteria


def scope_to_es(scope: Scope, *, report_type_field: str | None = None) -> list[dict[str, Any]]:
    """The Elasticsearch filter clauses of a scope, for a bool query's `filter`; an empty scope matches
    nothing.

    `report_type_field` names the field holding a report type, for indices that mix kinds of record: a
    partner grant limited to some report types then sees only reports of those types, while records without
    a report type (cases, documents) stay limited by region alone, as their MongoDB filter is.
    """
    clauses: list[dict[str, Any]] = []
    if scope.region_roots is not None:
        clauses.append(es_under_any(scope.region_roots))
    if report_type_field and scope.report_types is not None:
        allowed = {"terms": {report_type_field: sorted(scope.report_types)}}
        not_a_report = {"bool": {"must_not": [{"exists": {"field": report_type_field}}]}}
        clauses.append({"bool": {"should": [allowed, not_a_report], "minimum_should_match": 1}})
    if scope.fields is not None:
        # A partner grant never reads documents attached to an incident (hub.documents.access): not as hits,
        # nor in totals or facets.
        clauses.append({"bool": {"must_not": [{"term": {"attached": True}}]}})
    return clauses
