"""What a partner grant may see: the one table of which record types, event kinds and event fields each
granted field (`Type.field`, GraphQL names, as grants list them) opens.

Every reader goes through here: the GraphQL partner guard (record fields, and through `reveals` the summary
fields of live events, schema.access.partner_guard), live subscriptions (schema.subscriptions), webhook
payloads (hub.webhooks.payload) and full-text search (search.service, search.sources). What arguments,
filters, orders and facets disclose is hub.access.disclosure. Staff scopes carry no field whitelist, so for
them only regions and report types count.

- A record type is readable when the grant lists at least one of its fields; reference data (`Region`) is
  open to every grant. Rows computed from records (ROW_TYPES: an election's support per region) are granted
  by their own `Type.field` names like records; summaries of a record inside them (REPEATING_TYPES: the open
  cases of a support row) need the record's fields they repeat.
- An event is seen when its region lies in the scope, its report type (if any) is allowed, the grant reads
  the record type it is about, and the grant has what its kind requires besides: an early warning counts a
  region's incidents, so it needs the incident report type and `Report.incident`.
- Each data key of an event goes out only when the grant has the field it stands for; keys that are not in
  the table never go out (the actor, internal keys, dates of an early warning's window).
- A search matches, ranks and quotes a record's text and title only through the fields the grant reads: the
  index holds each of them apart (SEARCH_TEXT_FIELDS, SEARCH_TITLE_FIELDS).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from hub.access.scope import Scope
from hub.events.models import EventKind

# Reference data every partner may read.
OPEN_TYPES = frozenset({"Region"})
# Rows computed from records, without an id of their own, whose fields a grant lists like a record's
# (`RegionSupport.nphdSigned`): a grant reads such a type through the fields it lists of it, and a listing
# of one is refused to a grant that lists none.
ROW_TYPES = frozenset({"RegionSupport"})
# Types without an id of their own whose fields repeat a record's: each is read under the record field it
# repeats; a field missing here is refused to every grant (`id` and `__typename` are always open).
REPEATING_TYPES: Mapping[str, Mapping[str, str]] = {
    "CaseSummary": {
        "title": "Case.title",
        "category": "Case.category",
        "status": "Case.status",
        "dueAt": "Case.dueAt",
        "overdue": "Case.overdue",
    },
}
INCIDENT_REPORT_TYPE = "incident"  # hub.reports.models.ReportType.INCIDENT
_INCIDENT_FIGURES = "Report.incident"


@dataclass(frozen=True)
class EventRule:
    """What a grant needs to be told of one kind of event, and to receive each key of its data."""

    record_type: str  # the type of the record the event is about
    data: Mapping[str, str]  # data key -> the `Type.field` it repeats
    requires_fields: frozenset[str] = field(default_factory=frozenset)
    requires_report_type: str | None = None


EVENT_RULES: Mapping[EventKind, EventRule] = {
    EventKind.INCIDENT_CREATED: EventRule(
        record_type="Report",
        data={
            "title": "Report.title",
            "category": "Report.incident",
            "severity": "Report.incident",
            "occurredAt": "Report.incident",
        },
    ),
    EventKind.REPORT_STATUS_CHANGED: EventRule(
        record_type="Report",
        data={
            "title": "Report.title",
            "from": "Report.status",
            "to": "Report.status",
            "period": "Report.period",
        },
    ),
    EventKind.CASE_UPDATED: EventRule(
        record_type="Case",
        data={
            # The kind of change (`resolved`, `escalated`, …) tells the case's status transitions.
            "change": "Case.status",
            "title": "Case.title",
            "category": "Case.category",
            "severity": "Case.severity",
            "status": "Case.status",
            "escalatedTo": "Case.escalatedTo",
        },
    ),
    # Incident counts of a region against its own past: figures about incident reports.
    EventKind.EARLY_WARNING: EventRule(
        record_type="Region",
        data={
            name: _INCIDENT_FIGURES
            for name in ("recentCount", "baselineMean", "baselineSd", "baselineWindows", "score")
        },
        requires_fields=frozenset({_INCIDENT_FIGURES}),
        requires_report_type=INCIDENT_REPORT_TYPE,
    ),
}


# Per kind of search hit, the fields whose text the index also holds apart (search.sources): a grant's
# full-text search matches, ranks and quotes only those it reads. Staff search the combined text and title.
SEARCH_TEXT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "report": ("Report.narratives", "Report.values", "Report.incident"),
    "incident": ("Report.narratives", "Report.values", "Report.incident"),
    "case": ("Case.description", "Case.followUps", "Case.resolution"),
    # A document's extracted (OCR) text: a grant lists `Document.extractedText` (or, as grants made before
    # that field did, `Document.text`: hub.access.scope.FIELD_ALIASES) to read and search it.
    "document": ("Document.extractedText", "Document.title", "Document.number"),
}
SEARCH_TITLE_FIELDS: Mapping[str, str] = {
    "report": "Report.title",
    "incident": "Report.title",
    "case": "Case.title",
    "document": "Document.fileName",
}


def searchable_fields(scope: Scope) -> tuple[list[str], list[str]] | None:
    """The text fields and title fields (`Type.field`) a scope's search reads, each once, in the tables'
    order; None for staff, who search everything."""
    if scope.fields is None:
        return None

    def granted(names: Iterable[str]) -> list[str]:
        return [name for name in dict.fromkeys(names) if allows(scope, name)]

    texts = granted(name for names in SEARCH_TEXT_FIELDS.values() for name in names)
    return texts, granted(SEARCH_TITLE_FIELDS.values())


class EventFacts(Protocol):
    """What the rules read of an event: the stored one (webhooks) and the one off the channel (live)."""

    @property
    def kind(self) -> EventKind: ...

    @property
    def region_path(self) -> Sequence[str]: ...

    @property
    def report_type(self) -> str | None: ...


def allows(scope: Scope, record_field: str) -> bool:
    """Whether the scope may read `Type.field`."""
    type_name, _, field_name = record_field.partition(".")
    return scope.allows_field(type_name, field_name)


def reads_type(scope: Scope, type_name: str) -> bool:
    """Whether the scope may read records of this type at all (at least one granted field)."""
    if type_name in OPEN_TYPES or scope.fields is None:
        return True
    return any(granted.partition(".")[0] == type_name for granted in scope.fields)


def event_field(kind: EventKind, data_key: str) -> str:
    """The `Type.field` that a data key of this kind of event repeats (KeyError: it is in no table, so it must
    not be shown to anyone but staff)."""
    return EVENT_RULES[kind].data[data_key]


def sees_event(scope: Scope, event: EventFacts) -> bool:
    """Whether the scope may be told of the event at all. Kinds without a rule are seen by nobody."""
    rule = EVENT_RULES.get(event.kind)
    if rule is None or not scope.covers(event.region_path):
        return False
    if event.report_type is not None and not scope.allows_report_type(event.report_type):
        return False
    if rule.requires_report_type is not None and not scope.allows_report_type(rule.requires_report_type):
        return False
    if not reads_type(scope, rule.record_type):
        return False
    return all(allows(scope, needed) for needed in rule.requires_fields)


def visible_data(scope: Scope, kind: EventKind, data: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of an event's data the scope may receive."""
    rule = EVENT_RULES.get(kind)
    if rule is None:
        return {}
    return {key: value for key, value in data.items() if key in rule.data and allows(scope, rule.data[key])}
