"""What each argument, input field and summary field of the API discloses about records, so that a partner
grant may use it only when it reads the fields involved (a filter, an order or a facet on a field tells that
field's values through which records match, how many, and in which order).

Keys are GraphQL names: `Parent.field(argument)` for an argument, `InputType.field` for a field of an input
object, `Type.field` for a field whose value summarises records (facets, similar reports). The partner guard
(schema.access.partner_guard) walks every argument and input field a partner's operation gives, with the
variables it is run with, and refuses before execution what needs a field the grant lacks, or what this
table does not declare at all; tests/test_partner_minimization.py checks that every argument reachable from
the query and subscription roots is declared here, so a new filter cannot be forgotten.

What is open to every grant, and why:
- the grant's own axes: region, kind of record and report type, and a quarterly report's reporting period
  (one report per region, type and period: the period is which report it is, not something it says);
- creation time: every id carries it (an ObjectId begins with it), and ids are always readable;
- paging, ids of objects to fetch, reference data (regions, templates);
- fields only staff may call: the permission refuses partners in any case (PERMISSION_DENIED).
Free text (`search(query:)`) is open because the search itself matches only the text fields the grant reads
(hub.access.visibility.search_fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hub.access.scope import Scope
from hub.access.visibility import INCIDENT_REPORT_TYPE, allows


@dataclass(frozen=True)
class Needs:
    """A record field a grant must read; with `report_type`, only when the grant may see reports of that
    type (incident details matter only to a grant that sees incidents)."""

    field: str
    report_type: str | None = None

    def lacking(self, scope: Scope) -> bool:
        if self.report_type is not None and not scope.allows_report_type(self.report_type):
            return False
        return not allows(scope, self.field)


@dataclass(frozen=True)
class Disclosure:
    """What giving an argument (any non-null value) needs; an enum argument may need something per value."""

    needs: tuple[Needs, ...] = ()
    by_value: Mapping[str, tuple[Needs, ...]] = field(default_factory=dict)
    why_open: str = ""  # for the record: why it needs nothing

    def lacking(self, scope: Scope, value: object) -> list[str]:
        wanted = self.needs + (self.by_value.get(value, ()) if isinstance(value, str) else ())
        return sorted({needed.field for needed in wanted if needed.lacking(scope)})


def needs(*fields: str) -> Disclosure:
    return Disclosure(needs=tuple(Needs(name) for name in fields))


INCIDENT_DETAILS = Needs("Report.incident", INCIDENT_REPORT_TYPE)
AXIS = Disclosure(why_open="the grant's own axes: region, kind, report type, reporting period")
PAGING = Disclosure(why_open="paging")
CREATION = Disclosure(why_open="creation time is in every id")
LOOKUP = Disclosure(why_open="which objects to fetch; each is scoped and field-checked")
REFERENCE = Disclosure(why_open="reference data")
STAFF_ONLY = Disclosure(why_open="the field refuses partners by its permission")
TEXT = Disclosure(why_open="matches only the text fields the grant reads")
INPUT = Disclosure(why_open="an input object: each of its fields is declared on its own")

_SEARCH_FILTER: dict[str, Disclosure] = {
    "SearchFilter.region": AXIS,
    "SearchFilter.kinds": AXIS,
    "SearchFilter.reportTypes": AXIS,
    # A quarterly report's period is open; an incident's is the quarter it occurred in.
    "SearchFilter.periodFrom": Disclosure(needs=(INCIDENT_DETAILS,)),
    "SearchFilter.periodTo": Disclosure(needs=(INCIDENT_DETAILS,)),
    # The record's date: creation, except an incident's occurrence.
    "SearchFilter.dateFrom": Disclosure(needs=(INCIDENT_DETAILS,)),
    "SearchFilter.dateTo": Disclosure(needs=(INCIDENT_DETAILS,)),
    "SearchFilter.reportStatuses": needs("Report.status"),
    "SearchFilter.caseStatuses": needs("Case.status"),
    "SearchFilter.incidentCategories": Disclosure(needs=(INCIDENT_DETAILS,)),
    "SearchFilter.caseCategories": needs("Case.category"),
    "SearchFilter.documentCategories": needs("Document.category"),
    # One index field holds an incident's severity, a case's severity and a report's risk level.
    "SearchFilter.severities": Disclosure(
        needs=(INCIDENT_DETAILS, Needs("Case.severity"), Needs("Report.riskLevel"))
    ),
}

_REPORT_FILTER: dict[str, Disclosure] = {
    "ReportFilterInput.region": AXIS,
    "ReportFilterInput.types": AXIS,
    "ReportFilterInput.statuses": needs("Report.status"),
    "ReportFilterInput.riskLevels": needs("Report.riskLevel"),
    "ReportFilterInput.categories": Disclosure(needs=(INCIDENT_DETAILS,)),
    "ReportFilterInput.periodFrom": AXIS,
    "ReportFilterInput.periodTo": AXIS,
    "ReportFilterInput.createdFrom": CREATION,
    "ReportFilterInput.createdTo": CREATION,
    "ReportFilterInput.overdue": needs("Report.overdue"),
    "ReportFilterInput.author": needs("Report.author"),
    "ReportFilterInput.stageCode": needs("Report.stageCode"),
    "ReportFilterInput.waitingForMyReview": Disclosure(
        why_open="a partner grant reviews nothing: it matches none"
    ),
}
_REPORT_ORDER = Disclosure(
    by_value={"DUE_SOONEST": (Needs("Report.dueAt"),)},
    why_open="NEWEST is creation order, PERIOD the reporting period",
)

_CASE_FILTER: dict[str, Disclosure] = {
    "CaseFilter.region": AXIS,
    "CaseFilter.statuses": needs("Case.status"),
    "CaseFilter.categories": needs("Case.category"),
    "CaseFilter.severities": needs("Case.severity"),
    "CaseFilter.overdue": needs("Case.overdue"),
    "CaseFilter.dueAfter": needs("Case.dueAt"),
    "CaseFilter.dueBefore": needs("Case.dueAt"),
    "CaseFilter.stageCode": needs("Case.stageCode"),
    "CaseFilter.sourceReport": needs("Case.sourceReport"),
    "CaseFilter.assignee": needs("Case.assignee"),
}
# The default (DUE_AT_ASC) cannot be refused: hub.cases.listing.order_for lists by creation instead.
_CASE_ORDER = Disclosure(
    by_value={"DUE_AT_ASC": (Needs("Case.dueAt"),), "DUE_AT_DESC": (Needs("Case.dueAt"),)},
    why_open="CREATED_AT_* is creation order",
)

_DOCUMENT_FILTER: dict[str, Disclosure] = {
    "DocumentFilter.region": AXIS,
    "DocumentFilter.categories": needs("Document.category"),
    "DocumentFilter.states": needs("Document.state"),
    # The documents a report cites as evidence.
    "DocumentFilter.report": needs("Report.evidence"),
    "DocumentFilter.inTrash": STAFF_ONLY,
    "DocumentFilter.period": needs("Document.period"),
    "DocumentFilter.number": needs("Document.number"),
    "DocumentFilter.supportsReport": needs("Document.report"),
    "DocumentFilter.supportsCase": needs("Document.case"),
}

_EVIDENCE_FILTER: dict[str, Disclosure] = {
    "EvidenceFilter.region": AXIS,
    "EvidenceFilter.period": needs("Evidence.period"),
    "EvidenceFilter.report": needs("Evidence.report"),
    "EvidenceFilter.document": needs("Evidence.document"),
    "EvidenceFilter.checks": needs("Evidence.check"),
    "EvidenceFilter.reviews": needs("Evidence.review"),
}

# A support row's filter tells the row's value: each needs the row field it filters on.
_SUPPORT_FILTER: dict[str, Disclosure] = {
    "ElectionSupportFilter.region": AXIS,
    "ElectionSupportFilter.level": AXIS,
    "ElectionSupportFilter.nphdSigned": needs("RegionSupport.nphdSigned"),
    "ElectionSupportFilter.teamDecreeInPlace": needs("RegionSupport.teamDecreeInPlace"),
    "ElectionSupportFilter.logisticsOnTime": needs("RegionSupport.logisticsOnTime"),
    "ElectionSupportFilter.reported": needs("RegionSupport.reported"),
    "RegionSupport.openCases(categories)": needs("Case.category"),
}

_ROOT: dict[str, Disclosure] = {
    "Query.region(code)": REFERENCE,
    "Query.regions(parent)": REFERENCE,
    "Query.regions(level)": REFERENCE,
    "Query.regions(first)": PAGING,
    "Query.regions(after)": PAGING,
    "Query.regions(last)": PAGING,
    "Query.regions(before)": PAGING,
    "Query.regionCentroids(level)": REFERENCE,
    "Query.regionCentroids(parent)": REFERENCE,
    "Query.reportTemplate(type)": REFERENCE,
    "Query.search(query)": TEXT,
    "Query.search(filter)": INPUT,
    # Relevance comes from granted text only; the date order is creation for a grant without incident
    # details (search.service).
    "Query.search(orderBy)": Disclosure(why_open="relevance and dates as the grant may see them"),
    "Query.search(first)": PAGING,
    "Query.search(after)": PAGING,
    "Query.reports(filter)": INPUT,
    "Query.reports(orderBy)": _REPORT_ORDER,
    "Query.reports(first)": PAGING,
    "Query.reports(after)": PAGING,
    "Query.reports(last)": PAGING,
    "Query.reports(before)": PAGING,
    "Query.incidents(filter)": INPUT,
    "Query.incidents(orderBy)": _REPORT_ORDER,
    "Query.incidents(first)": PAGING,
    "Query.incidents(after)": PAGING,
    "Query.incidents(last)": PAGING,
    "Query.incidents(before)": PAGING,
    "Query.cases(filter)": INPUT,
    "Query.cases(orderBy)": _CASE_ORDER,
    "Query.cases(first)": PAGING,
    "Query.cases(after)": PAGING,
    "Query.cases(last)": PAGING,
    "Query.cases(before)": PAGING,
    "Query.evidence(filter)": INPUT,
    "Query.evidence(first)": PAGING,
    "Query.evidence(after)": PAGING,
    "Query.evidence(last)": PAGING,
    "Query.evidence(before)": PAGING,
    "Query.documents(filter)": INPUT,
    "Query.documents(first)": PAGING,
    "Query.documents(after)": PAGING,
    "Query.documents(last)": PAGING,
    "Query.documents(before)": PAGING,
    "Query.elections(first)": PAGING,
    "Query.elections(after)": PAGING,
    "Query.elections(last)": PAGING,
    "Query.elections(before)": PAGING,
    "Election.stage(code)": REFERENCE,
    "Query.electionSupport(election)": LOOKUP,
    "Query.electionSupport(stage)": REFERENCE,
    "Query.electionSupport(filter)": INPUT,
    "Query.electionSupport(first)": PAGING,
    "Query.electionSupport(after)": PAGING,
    "Query.electionSupport(last)": PAGING,
    "Query.electionSupport(before)": PAGING,
    "Report.similar(first)": PAGING,
    "Query.node(id)": LOOKUP,
    "Query.nodes(ids)": LOOKUP,
    # Changes since a time tell when each record last changed, and the sync order their order of change.
    "Query.reports(updatedSince)": needs("Report.updatedAt"),
    "Query.incidents(updatedSince)": needs("Report.updatedAt"),
    "Query.cases(updatedSince)": needs("Case.updatedAt"),
    "Query.documents(updatedSince)": needs("Document.updatedAt"),
    "Query.elections(updatedSince)": needs("Election.updatedAt"),
    # The feed holds only tombstones of kinds and report types the grant reads, in its regions
    # (hub.sync.tombstones); a tombstone tells an id, its kind and when it left the grant's view, which
    # polling the listings would tell as well, and never where a moved record went.
    "Query.deleted(since)": Disclosure(why_open="when records of the grant left its view, as polling tells"),
    "Query.deleted(kinds)": AXIS,
    "Query.deleted(first)": PAGING,
    "Query.deleted(after)": PAGING,
    "Query.deleted(last)": PAGING,
    "Query.deleted(before)": PAGING,
    "Query.deadlineExtensions(region)": AXIS,
    "Query.deadlineExtensions(period)": AXIS,
    "Query.deadlineExtensions(includeRevoked)": needs("DeadlineExtension.revokedAt"),
    "Query.deadlineExtensions(first)": PAGING,
    "Query.deadlineExtensions(after)": PAGING,
    "Query.deadlineExtensions(last)": PAGING,
    "Query.deadlineExtensions(before)": PAGING,
    "Query.reportTemplate(version)": REFERENCE,
    # Each reason shows the revision it was given on: choosing by it tells nothing the field does not.
    "Report.returnReasons(revision)": Disclosure(
        why_open="picks among the field's own items by what they show"
    ),
    "Subscription.incidentCreated(region)": AXIS,
    "Subscription.reportStatusChanged(region)": AXIS,
    "Subscription.caseUpdated(region)": AXIS,
}

_STAFF_ONLY_ARGUMENTS = (
    "Query.users(first)",
    "Query.users(after)",
    "Query.users(last)",
    "Query.users(before)",
    "Query.partnerGrants(includeRevoked)",
    "Query.partnerGrants(first)",
    "Query.partnerGrants(after)",
    "Query.partnerGrants(last)",
    "Query.partnerGrants(before)",
    "Query.partnerReads(grant)",
    "Query.partnerReads(first)",
    "Query.partnerReads(after)",
    "Query.partnerReads(last)",
    "Query.partnerReads(before)",
    "Query.requirements(periods)",
    "Query.requirements(first)",
    "Query.requirements(after)",
    "Query.requirements(last)",
    "Query.requirements(before)",
    "Query.completeness(periods)",
    "Query.completeness(region)",
    "Query.completenessMatrix(periods)",
    "Query.completenessMatrix(region)",
    "Query.completenessMatrix(first)",
    "Query.completenessMatrix(after)",
    "Query.completenessMatrix(last)",
    "Query.completenessMatrix(before)",
    "Query.regionsMissing(requirement)",
    "Query.regionsMissing(region)",
    "Query.regionsMissing(first)",
    "Query.regionsMissing(after)",
    "Query.regionsMissing(last)",
    "Query.regionsMissing(before)",
    "Query.savedSearches(first)",
    "Query.savedSearches(after)",
    "Query.savedSearches(last)",
    "Query.savedSearches(before)",
    "SavedSearch.results(first)",
    "SavedSearch.results(after)",
    "SavedSearch.results(newOnly)",
    "Query.notifications(unreadOnly)",
    "Query.notifications(updatedSince)",
    "Query.savedSearches(updatedSince)",
    "Query.notifications(first)",
    "Query.notifications(after)",
    "Query.notifications(last)",
    "Query.notifications(before)",
    "Query.webhookDeliveries(grant)",
    "Query.webhookDeliveries(status)",
    "Query.webhookDeliveries(first)",
    "Query.webhookDeliveries(after)",
    "Query.webhookDeliveries(last)",
    "Query.webhookDeliveries(before)",
    "Query.dashboard(region)",
    "Query.dashboard(from)",
    "Query.dashboard(to)",
    "Dashboard.completeness(periods)",
    "Dashboard.electionSupport(election)",
    "Dashboard.electionSupport(stage)",
    "Dashboard.electionSupport(level)",
    "Query.incidentPoints(region)",
    "Query.incidentPoints(from)",
    "Query.incidentPoints(to)",
    "Query.incidentPoints(first)",
    "Query.auditEntries(filter)",
    "Query.auditEntries(first)",
    "Query.auditEntries(after)",
    "Query.auditEntries(last)",
    "Query.auditEntries(before)",
    "AuditEntryFilter.record",
    "AuditEntryFilter.user",
    "AuditEntryFilter.actions",
    "AuditEntryFilter.from",
    "AuditEntryFilter.to",
    # Threads refuse partner grants whatever they list (hub.threads.records); template versions are admins'.
    *(
        f"{type_}.comments({name})"
        for type_ in ("Report", "Case")
        for name in ("first", "after", "last", "before")
    ),
    *(f"Query.reportTemplateVersions({name})" for name in ("type", "first", "after", "last", "before")),
)

ARGUMENTS: Mapping[str, Disclosure] = {
    **_ROOT,
    **_SEARCH_FILTER,
    **_REPORT_FILTER,
    **_CASE_FILTER,
    **_DOCUMENT_FILTER,
    **_EVIDENCE_FILTER,
    **_SUPPORT_FILTER,
    **dict.fromkeys(_STAFF_ONLY_ARGUMENTS, STAFF_ONLY),
}

_CATEGORY_FACET = (INCIDENT_DETAILS, Needs("Case.category"), Needs("Document.category"))
# Fields of other types whose value is computed from records' fields: asking for one needs those fields.
SUMMARIES: Mapping[str, tuple[Needs, ...]] = {
    "SearchFacets.category": _CATEGORY_FACET,
    "SearchFacets.categories": _CATEGORY_FACET,
    # A quarterly report's period is open; an incident's is the quarter it occurred in.
    "SearchFacets.period": (INCIDENT_DETAILS,),
    "SearchFacets.periods": (INCIDENT_DETAILS,),
    # More like this compares the whole text and title of reports.
    "Report.similar": (
        Needs("Report.title"),
        Needs("Report.narratives"),
        Needs("Report.values"),
        INCIDENT_DETAILS,
    ),
}


def lacking_for_argument(scope: Scope, key: str, value: object) -> list[str] | None:
    """The record fields that giving `value` for the argument or input field `key` needs and the scope
    lacks; None when the table does not declare `key` (refuse it)."""
    disclosure = ARGUMENTS.get(key)
    return None if disclosure is None else disclosure.lacking(scope, value)


def lacking_for_summary(scope: Scope, key: str) -> list[str]:
    """The record fields a summary field (`Type.field`) is computed from that the scope lacks."""
    return sorted({needed.field for needed in SUMMARIES.get(key, ()) if needed.lacking(scope)})
