"""Photos, short videos and files attached to an incident report: documents uploaded the usual ways
(documentUpload, documentUploadRequest + documentUploadConfirm) and then linked to the incident, at filing
(incidentCreate) or afterwards by its author until it is reviewed (incidentAttachmentAdd).

A document belongs to one incident at most: the link is `StoredDocument.incident_id`, claimed with a
conditional update before the report names the document and released again when the report's write fails,
so neither side is left half-linked. Partners never see attached documents (hub.documents.access).
"""

from __future__ import annotations

from typing import Any

from beanie import PydanticObjectId

from hub.access.principal import Principal
from hub.access.scope import scope_to_mongo
from hub.audit.pending import pending_entry
from hub.core.clock import storable_time, utcnow
from hub.core.ids import object_id
from hub.dispatch import current_dispatcher
from hub.documents.models import DocumentState, StoredDocument
from hub.documents.record import dispatch_index, dispatch_ingest
from hub.reports.access import apply_update, load_report
from hub.reports.errors import ReportError, ReportErrorCode
from hub.reports.models import IncidentCorrection, Report, ReportStatus, ReportType

MAX_ATTACHMENTS = 20
# Not reviewed yet: waiting for review, or returned to its author to revise. Verified, evaluated and
# archived incidents were reviewed: their author can no longer change them.
CORRECTABLE = frozenset({ReportStatus.SUBMITTED, ReportStatus.RETURNED})


def check_correctable(principal: Principal, report: Report) -> None:
    """The principal is the incident's author and the incident is not reviewed yet."""
    if report.type is not ReportType.INCIDENT:
        raise ReportError(ReportErrorCode.NOT_AN_INCIDENT, "only incident reports take this change", "id")
    if principal.is_partner or report.author != principal.actor:
        raise ReportError(
            ReportErrorCode.PERMISSION_DENIED, "only the incident's author may change it before review", "id"
        )
    if report.status not in CORRECTABLE:
        raise ReportError(
            ReportErrorCode.ALREADY_REVIEWED,
            f"the incident was reviewed ({report.status.value}); it can no longer be changed by its author",
            "id",
        )


def _not_found(field: str) -> ReportError:
    return ReportError(
        ReportErrorCode.ATTACHMENT_NOT_FOUND,
        "each attachment must be a document you can see, of the incident's own region, not in the trash",
        field,
    )


async def attachable(
    principal: Principal,
    region_code: str,
    given: list[str],
    incident_id: PydanticObjectId | None,
    field: str = "attachments",
) -> list[PydanticObjectId]:
    """The documents (raw ids), each once in the order given, once every one of them was checked: visible to
    the principal, of the region, out of the trash, not rejected, and attached to no other incident."""
    ids = list(dict.fromkeys(object_id(value) for value in given))
    if any(value is None for value in ids):
        raise _not_found(field)
    wanted = [value for value in ids if value is not None]
    if len(wanted) > MAX_ATTACHMENTS:
        raise ReportError(
            ReportErrorCode.TOO_MANY_ATTACHMENTS,
            f"an incident has at most {MAX_ATTACHMENTS} attachments",
            field,
        )
    criteria: dict[str, Any] = {
        "_id": {"$in": wanted},
        "region_code": region_code,
        "deleted_at": None,
        **scope_to_mongo(principal.scope),
    }
    found = {document.id: document for document in await StoredDocument.find(criteria).to_list()}
    if len(found) != len(wanted):
        raise _not_found(field)
    for document in found.values():
        if document.state is DocumentState.REJECTED:
            raise ReportError(
                ReportErrorCode.ATTACHMENT_REJECTED,
                f"document {document.id} was rejected by processing: {document.rejection_reason}",
                field,
            )
        if document.incident_id is not None and document.incident_id != incident_id:
            raise ReportError(
                ReportErrorCode.ATTACHMENT_TAKEN,
                f"document {document.id} is attached to another incident already",
                field,
            )
    return [PydanticObjectId(value) for value in wanted]


async def claim(ids: list[PydanticObjectId], incident_id: PydanticObjectId, field: str) -> None:
    """Links the documents to the incident, all or none (ATTACHMENT_TAKEN when another was faster)."""
    if not ids:
        return
    collection = StoredDocument.get_pymongo_collection()
    await collection.update_many(
        {"_id": {"$in": ids}, "incident_id": None, "deleted_at": None},
        {
            "$set": {"incident_id": incident_id, "updated_at": utcnow(), "needs_index": True},
            "$inc": {"revision": 1},  # the index's external version: the entry must follow
        },
    )
    ours = await collection.count_documents({"_id": {"$in": ids}, "incident_id": incident_id})
    if ours != len(ids):
        await release(ids, incident_id)
        raise ReportError(
            ReportErrorCode.ATTACHMENT_TAKEN, "a document was attached to another incident meanwhile", field
        )
    await _reindex(ids)


async def _reindex(ids: list[PydanticObjectId]) -> None:
    """The search index says which documents are attached (partner grants' searches leave them out, counts
    and facets included): a document's entry follows its link."""
    dispatcher = current_dispatcher()
    stored = StoredDocument.get_pymongo_collection().find(
        {"_id": {"$in": ids}, "state": DocumentState.STORED.value}, {"_id": 1}
    )
    # One still being extracted dropped its result on the changed revision: extracted again.
    unextracted = {row["_id"] for row in await stored.to_list(None)}
    for document_id in ids:
        if document_id in unextracted:
            await dispatch_ingest(dispatcher, str(document_id))
        else:
            await dispatch_index(dispatcher, str(document_id))


async def release(ids: list[PydanticObjectId], incident_id: PydanticObjectId) -> None:
    """Unlinks those of the documents that this incident claimed."""
    if ids:
        await StoredDocument.get_pymongo_collection().update_many(
            {"_id": {"$in": ids}, "incident_id": incident_id},
            {
                "$set": {"incident_id": None, "updated_at": utcnow(), "needs_index": True},
                "$inc": {"revision": 1},
            },
        )
        await _reindex(ids)


async def add_attachments(
    principal: Principal, report_id: str, documents: list[str], expected_version: int | None = None
) -> Report:
    """Attaches more documents to an incident; those attached already change nothing (a retry answers the
    incident as it is). Recorded in the incident's corrections and its audit entry."""
    report = await load_report(principal, report_id)
    check_correctable(principal, report)
    if expected_version is not None and expected_version != report.version:
        raise ReportError(ReportErrorCode.CONFLICT, "the report was changed meanwhile; reload and try again")
    assert report.id is not None
    ids = await attachable(principal, report.region_code, documents, report.id, "documents")
    new = [value for value in ids if value not in report.attachments]
    if not new:
        return report
    if len(report.attachments) + len(new) > MAX_ATTACHMENTS:
        raise ReportError(
            ReportErrorCode.TOO_MANY_ATTACHMENTS,
            f"an incident has at most {MAX_ATTACHMENTS} attachments",
            "documents",
        )
    now = storable_time(utcnow())
    before = [str(value) for value in report.attachments]
    after = before + [str(value) for value in new]
    entry = IncidentCorrection(
        actor=principal.actor,
        at=now,
        fields=["attachments"],
        before={"attachments": before},
        after={"attachments": after},
    )
    audit = pending_entry(
        principal.actor, "incident.attach", f"Report:{report.id}", {"documents": [str(v) for v in new]}
    )
    await claim(new, report.id, "documents")
    try:
        return await apply_update(
            report,
            {"attachments": [*report.attachments, *new]},
            audit=audit,
            push={"corrections": entry.model_dump()},
        )
    except BaseException:
        await release(new, report.id)
        raise
