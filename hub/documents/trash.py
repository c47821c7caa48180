"""The trash: deleting moves a document there (hidden from queries, search and downloads); it can be restored
within the retention (`PANTAU_TRASH_RETENTION_DAYS`), after which the periodic purge (hub.documents.purge)
removes its bytes and its record.

Who may delete and restore: whoever may change the document (hub.documents.access): operators and
coordinators whose region's subtree holds it, central reviewers and admins.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hub.access.principal import Principal
from hub.audit.linker import complete
from hub.audit.pending import pending_entry, push_pending
from hub.core.clock import storable_time
from hub.dispatch import TaskDispatcher
from hub.documents.access import document_for_change
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.models import DocumentState, StoredDocument
from hub.documents.record import dispatch_evidence_check, dispatch_index, dispatch_ingest
from hub.i18n import Text
from hub.sync.models import RemovalCause, SyncKind
from hub.sync.tombstones import record_removal


def purge_after(document: StoredDocument, retention: timedelta) -> datetime | None:
    return document.deleted_at + retention if document.deleted_at else None


def _conflict() -> DocumentError:
    return DocumentError(DocumentErrorCode.CONFLICT, Text("documents.conflict"), "id")


async def trash_document(
    principal: Principal,
    document_id: str,
    *,
    dispatcher: TaskDispatcher,
    retention: timedelta,
    now: datetime,
) -> StoredDocument:
    """Moves a visible document to the trash and asks the indexer to drop it from search."""
    now = storable_time(now)
    try:
        document = await document_for_change(principal, document_id)
    except DocumentError as error:
        if error.code is not DocumentErrorCode.DOCUMENT_NOT_FOUND:
            raise
        try:  # a retried delete: the document is in the trash already, and that is what was asked
            return await document_for_change(principal, document_id, in_trash=True)
        except DocumentError:
            raise error from None
    audit = pending_entry(
        principal.actor,
        "document.delete",
        f"Document:{document.id}",
        {"region": document.region_code, "file_name": document.file_name, "purge_after": now + retention},
    )
    result = await StoredDocument.get_pymongo_collection().update_one(
        # Not guarded on the revision: extraction and indexing change it, and must not make a delete fail.
        {"_id": document.id, "deleted_at": None},
        {
            "$set": {
                "deleted_at": now,
                "deleted_by": principal.actor,
                "needs_index": True,
                "updated_at": now,
            },
            "$inc": {"revision": 1},
            "$push": push_pending(audit),
        },
    )
    if result.matched_count == 0:
        raise _conflict()
    # Each time in the trash is its own removal: restored and deleted again, it is gone again.
    await record_removal(
        SyncKind.DOCUMENT,
        document.id,
        RemovalCause.TRASHED,
        key=f"trash:{now.isoformat()}",
        region_path=document.region_path,
        at=now,
    )
    await complete(StoredDocument, document.id, audit)
    await dispatch_index(dispatcher, str(document.id))
    await dispatch_evidence_check(dispatcher, str(document.id))  # evidence in the trash is no evidence
    trashed = await StoredDocument.get(document.id)
    if trashed is None:
        raise _conflict()
    return trashed


async def restore_document(
    principal: Principal,
    document_id: str,
    *,
    dispatcher: TaskDispatcher,
    retention: timedelta,
    now: datetime,
) -> StoredDocument:
    """Takes a document out of the trash while its retention runs; it is indexed again."""
    now = storable_time(now)
    try:
        document = await document_for_change(principal, document_id, in_trash=True)
    except DocumentError as error:
        if error.code is not DocumentErrorCode.DOCUMENT_NOT_FOUND:
            raise
        # A retried restore (a phone that lost the answer): the document is live already, and that is what
        # was asked, so it answers the document like the first restore did — to whoever may change it.
        # DOCUMENT_NOT_FOUND when it is not live either; PERMISSION_DENIED for readers who may not change it.
        return await document_for_change(principal, document_id)
    deleted_at = document.deleted_at
    if deleted_at is None:  # only documents in the trash are loaded; kept for the type checker
        raise DocumentError(DocumentErrorCode.NOT_IN_TRASH, Text("documents.not_in_trash"), "id")
    if deleted_at + retention <= now:
        raise DocumentError(
            DocumentErrorCode.TRASH_EXPIRED,
            Text("documents.trash_expired", deleted_at=deleted_at.isoformat(), days=retention.days),
            "id",
        )
    audit = pending_entry(
        principal.actor,
        "document.restore",
        f"Document:{document.id}",
        {"region": document.region_code, "file_name": document.file_name, "deleted_at": deleted_at},
    )
    result = await StoredDocument.get_pymongo_collection().update_one(
        # The purge takes documents deleted before now - retention: the same bound keeps the two apart.
        {"_id": document.id, "deleted_at": {"$eq": deleted_at, "$gt": now - retention}},
        {
            "$set": {"deleted_at": None, "deleted_by": None, "needs_index": True, "updated_at": now},
            "$inc": {"revision": 1},
            "$push": push_pending(audit),
        },
    )
    if result.matched_count == 0:
        raise _conflict()
    await complete(StoredDocument, document.id, audit)
    if document.state is DocumentState.STORED:
        await dispatch_ingest(dispatcher, str(document.id))
    else:
        await dispatch_index(dispatcher, str(document.id))
    await dispatch_evidence_check(dispatcher, str(document.id))
    restored = await StoredDocument.get(document.id)
    if restored is None:
        raise _conflict()
    return restored
