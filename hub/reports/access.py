"""Loading a report as a principal may see it, and the checks every change shares."""

from __future__ import annotations

from typing import Any

from beanie import PydanticObjectId
from bson.errors import InvalidId

from hub.access.principal import Principal
from hub.audit.linker import complete
from hub.audit.pending import PendingAudit, push_pending
from hub.core.clock import utcnow
from hub.core.ids import object_ids
from hub.dispatch import request_index
from hub.documents.models import DocumentState, StoredDocument
from hub.i18n import Text
from hub.reports.errors import FieldProblem, ReportContentError, ReportError, ReportErrorCode
from hub.reports.models import Report

INDEX_KIND = "reports"  # what hub.dispatch.request_index calls reports


def visible(principal: Principal, report: Report) -> bool:
    """Whether the principal, as it is now, may see the report: its region and (for partners) its type."""
    scope = principal.scope
    return scope.covers(report.region_path) and scope.allows_report_type(report.type)


async def load_report(principal: Principal, report_id: str) -> Report:
    """The report, or REPORT_NOT_FOUND — also when it exists outside the principal's scope."""
    try:
        report = await Report.get(PydanticObjectId(report_id))
    except (InvalidId, TypeError, ValueError):
        report = None
    if report is None or not visible(principal, report):
        raise ReportError(ReportErrorCode.REPORT_NOT_FOUND, Text("reports.report_not_found"), "id")
    return report


def _evidence_problem(code: str, error: ReportErrorCode, message: Text) -> FieldProblem:
    return FieldProblem(f"evidence.{code}", error, message)


async def check_evidence(region_code: str, evidence: dict[str, list[str]]) -> None:
    """Every evidence document must be a live document of the report's own region: not in the trash, not
    refused by processing. Whether it is valid evidence of its indicator (its category, what its text shows)
    is checked by the worker, which records why not (hub.evidence.check)."""
    problems = []
    for code, ids in evidence.items():
        wanted = object_ids(ids)
        if not wanted or len(wanted) != len(set(ids)):
            message = Text("reports.evidence_malformed")
            problems.append(_evidence_problem(code, ReportErrorCode.EVIDENCE_NOT_FOUND, message))
            continue
        found = await StoredDocument.find({"_id": {"$in": wanted}, "region_code": region_code}).to_list()
        if len(found) != len(wanted):
            message = Text("reports.evidence_not_found", region_code=region_code)
            problems.append(_evidence_problem(code, ReportErrorCode.EVIDENCE_NOT_FOUND, message))
        elif any(document.in_trash or document.state is DocumentState.REJECTED for document in found):
            message = Text("reports.evidence_unusable")
            problems.append(_evidence_problem(code, ReportErrorCode.EVIDENCE_UNUSABLE, message))
    if problems:
        raise ReportContentError(problems)


async def apply_update(
    report: Report, changes: dict[str, Any], *, audit: PendingAudit, push: dict[str, Any] | None = None
) -> Report:
    """One conditional update: the change, its audit entry, a fresh index marker and the next version, or
    CONFLICT; then the entry is linked and the indexing of the change is asked for."""
    update: dict[str, Any] = {
        "$set": {**changes, "needs_index": True, "updated_at": utcnow()},
        "$inc": {"version": 1},
        "$push": {**(push or {}), **push_pending(audit)},
    }
    result = await Report.get_pymongo_collection().update_one(
        {"_id": report.id, "version": report.version}, update
    )
    if result.modified_count != 1:
        raise ReportError(ReportErrorCode.CONFLICT, Text("reports.conflict"))
    await complete(Report, report.id, audit)
    await request_index(INDEX_KIND, report.id)
    fresh = await Report.get(report.id)
    assert fresh is not None
    return fresh
