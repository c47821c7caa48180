"""New versions of a document: the current file moves to `previous_versions` (its bytes stay), the new one
becomes current and goes through ingest again.

Dedupe: the same bytes as the current version return the document unchanged (a retried request creates
nothing). Bytes that another document of the region already holds are refused (DUPLICATE_CONTENT): two
documents never share content. Going back to the bytes of an older version of the same document is allowed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from hub.audit.linker import complete
from hub.audit.pending import pending_entry, push_pending
from hub.core.clock import storable_time
from hub.dispatch import TaskDispatcher
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.models import DocumentCategory, DocumentState, DocumentVersion, StoredDocument
from hub.documents.record import (
    CheckedFile,
    PlaceBytes,
    UploadResult,
    dispatch_ingest,
    object_key_for,
    remove_quietly,
    store_bytes,
)
from hub.i18n import Text
from hub.storage import ObjectStore


def _duplicate(other: StoredDocument) -> DocumentError:
    key = "documents.duplicate_in_trash" if other.in_trash else "documents.duplicate_content"
    return DocumentError(
        DocumentErrorCode.DUPLICATE_CONTENT,
        Text(key, id=other.id),
        "file",
    )


def current_version(document: StoredDocument) -> DocumentVersion:
    return DocumentVersion(
        version=document.version,
        category=document.category,
        file_name=document.file_name,
        object_key=document.object_key,
        content_type=document.content_type,
        size=document.size,
        sha256=document.sha256,
        uploader=document.uploader,
        uploaded_at=document.uploaded_at or document.created_at,
    )


async def version_precheck(document: StoredDocument, sha256: str) -> StoredDocument | None:
    """Before any bytes move: the document itself when it already has these bytes, DUPLICATE_CONTENT when
    another document of the region has them, None when a new version can be made."""
    if sha256 == document.sha256:
        return document
    other = await StoredDocument.find_one(
        {"region_code": document.region_code, "sha256": sha256, "_id": {"$ne": document.id}}
    )
    if other is not None:
        raise _duplicate(other)
    return None


async def record_version(
    *,
    store: ObjectStore,
    dispatcher: TaskDispatcher,
    document: StoredDocument,
    category: DocumentCategory | None,
    checked: CheckedFile,
    place: PlaceBytes | None,
    uploader: str,
    now: datetime,
    audit_extra: dict[str, Any] | None = None,
    object_key: str | None = None,
) -> UploadResult:
    """`document` as loaded for the change; CONFLICT when it changed since. Without `place`, the bytes are at
    `object_key` already, and the caller removes them when no version comes of it (created=False or an
    error)."""
    if await version_precheck(document, checked.sha256) is not None:
        return UploadResult(document, created=False)

    now = storable_time(now)
    key = object_key or object_key_for(document.region_code, now)
    new_category = category or document.category
    change: dict[str, Any] = {
        "version": document.version + 1,
        "category": new_category.value,
        "file_name": checked.file_name,
        "content_type": checked.content_type,
        "sha256": checked.sha256,
        "size": checked.size,
    }
    audit = pending_entry(
        uploader, "document.version_add", f"Document:{document.id}", change | (audit_extra or {})
    )
    await store_bytes(store, place, key, checked.content_type)
    update = {
        "$set": {
            "category": new_category.value,
            "file_name": checked.file_name,
            "object_key": key,
            "content_type": checked.content_type,
            "size": checked.size,
            "sha256": checked.sha256,
            "uploader": uploader,
            "uploaded_at": now,
            "state": DocumentState.STORED.value,
            "rejection_reason": None,
            "text": None,
            "media": None,  # the worker reads the new version's photo again
            "updated_at": now,
        },
        "$push": {
            "previous_versions": current_version(document).model_dump()
            | {"category": document.category.value},
            **push_pending(audit),
        },
        "$inc": {"revision": 1, "version": 1},
    }
    # Guarded on the version, not the revision: extraction and indexing move the revision on their own, and
    # must not make a new version fail. They are guarded on the revision, so they drop their stale results.
    guard = {"_id": document.id, "version": document.version, "deleted_at": None}
    try:
        result = await StoredDocument.get_pymongo_collection().update_one(guard, update)
    except DuplicateKeyError:
        await store.remove(key)
        winner = await StoredDocument.find_one(
            {"region_code": document.region_code, "sha256": checked.sha256}
        )
        if winner is not None and winner.id == document.id:
            return UploadResult(winner, created=False)
        raise DocumentError(
            DocumentErrorCode.DUPLICATE_CONTENT,
            Text("documents.duplicate_in_region"),
            "file",
        ) from None
    except BaseException:
        await store.remove(key)
        raise
    if result.matched_count == 0:
        await store.remove(key)
        raise DocumentError(
            DocumentErrorCode.CONFLICT,
            Text("documents.changed_or_trashed"),
            "id",
        )

    await complete(StoredDocument, document.id, audit)
    for derived in document.media.derivatives if document.media else []:
        await remove_quietly(store, derived.object_key)  # made from the version replaced; the original stays
    fresh = await StoredDocument.get(document.id)
    if fresh is None:  # purged in the instant since
        raise DocumentError(DocumentErrorCode.DOCUMENT_NOT_FOUND, Text("documents.gone"), "id")
    await dispatch_ingest(dispatcher, str(document.id))
    return UploadResult(fresh, created=True)
