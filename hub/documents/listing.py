"""Listing documents: filters, the scope, newest first, keyset pages.

The trash is listed only to those who may restore from it, and only what they may restore (their scope, with
an uploading role); everyone else sees the documents outside the trash that their scope covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from beanie import PydanticObjectId, SortDirection

from hub.access.principal import Principal
from hub.access.roles import UPLOAD_ROLES
from hub.access.scope import scope_to_mongo
from hub.core.paging import Keyset, Page, Position
from hub.documents.access import IN_TRASH, NOT_IN_TRASH, readable_criteria
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.metadata import check_period
from hub.documents.models import DocumentCategory, DocumentState, StoredDocument, StoredDocumentSummary
from hub.i18n import Text
from hub.regions.services import under_region
from hub.reports.models import Report
from hub.sync.since import listing_keyset, since_criteria


@dataclass(frozen=True)
class DocumentFilter:
    region: str | None = None  # a region code: it and every region below it
    categories: list[DocumentCategory] = field(default_factory=list)
    states: list[DocumentState] = field(default_factory=list)
    report_id: PydanticObjectId | None = None  # documents the report cites as evidence
    in_trash: bool = False
    period_key: str | None = None  # the period documents are evidence for
    number: str | None = None  # the reference number, exactly
    supports_report: PydanticObjectId | None = None  # documents recorded as supporting this report
    supports_case: PydanticObjectId | None = None
    updated_since: datetime | None = None  # changes only, in the sync order (hub.sync.since)

    @property
    def keyset(self) -> Keyset:
        """The order the listing answers in: newest first, or the sync order when asked for changes."""
        return listing_keyset("documents", self.updated_since, DOCUMENTS_NEWEST)


DOCUMENTS_NEWEST = Keyset(
    "documents", (("created_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING))
)


async def _report_evidence(principal: Principal, report_id: PydanticObjectId) -> list[PydanticObjectId]:
    criteria: dict[str, Any] = {"_id": report_id, **scope_to_mongo(principal.scope, report_type_field="type")}
    report = await Report.find_one(criteria)
    if report is None:
        raise DocumentError(DocumentErrorCode.REPORT_NOT_FOUND, Text("documents.report_not_found"), "report")
    ids = {value for values in report.evidence.values() for value in values}
    return [PydanticObjectId(value) for value in sorted(ids) if PydanticObjectId.is_valid(value)]


async def filter_criteria(given: DocumentFilter, principal: Principal) -> dict[str, Any]:
    """The Mongo filter: every given condition and the scope, ANDed."""
    clauses: list[dict[str, Any]] = [readable_criteria(principal.scope)]
    if given.in_trash:
        if principal.is_partner or principal.role not in UPLOAD_ROLES:
            raise DocumentError(
                DocumentErrorCode.PERMISSION_DENIED,
                Text("documents.trash_restorers_only"),
                "inTrash",
            )
        clauses.append(IN_TRASH)
    else:
        clauses.append(NOT_IN_TRASH)
    clauses.append(
        await under_region(
            given.region, refuse=partial(DocumentError, DocumentErrorCode.REGION_NOT_FOUND, field="region")
        )
    )
    if given.categories:
        clauses.append({"category": {"$in": [category.value for category in given.categories]}})
    if given.states:
        clauses.append({"state": {"$in": [state.value for state in given.states]}})
    if given.report_id is not None:
        clauses.append({"_id": {"$in": await _report_evidence(principal, given.report_id)}})
    if given.period_key is not None:
        clauses.append({"period_key": check_period(given.period_key)})
    if given.number is not None:
        clauses.append({"number": " ".join(given.number.split())})
    if given.supports_report is not None:
        clauses.append({"report_id": given.supports_report})
    if given.supports_case is not None:
        clauses.append({"case_id": given.supports_case})
    clauses.append(since_criteria(given.updated_since))
    return {"$and": [clause for clause in clauses if clause]}


async def list_documents(
    given: DocumentFilter, principal: Principal, *, after: Position | None, first: int
) -> Page[StoredDocumentSummary]:
    """The documents the filter and the principal's scope select, in the filter's keyset, without their
    extracted text: a page of a hundred scans' text is tens of megabytes that a list does not show (a client
    that selects `extractedText` has it read for the page in one batch)."""
    criteria = await filter_criteria(given, principal)
    return await given.keyset.page(StoredDocument, criteria, after, first, projection=StoredDocumentSummary)
