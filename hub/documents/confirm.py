"""Presigned uploads, step two: the hub checks what the client POSTed and records it like a multipart upload.

The object is checked as it is (size from a stat, type sniffed from byte ranges, SHA-256 streamed once), and
every read and the final server-side copy name the ETag that was checked. A refusal removes the staging
object and the upload record: nothing is left. Failures worth retrying (object storage unreachable, the bytes
not there yet, a concurrent change) keep the upload so the client can confirm again. A confirmed upload stays
as a receipt until it expires, so a retried confirmation returns the same document.

Object storage cannot revoke a signed form, so the form of a confirmed upload still works until it expires
(the receipt outlives it): a client may POST again, but only the declared size, only to the staging key, which
nothing reads any more (the document was copied to its own key). The purge removes any object that reappears
at a confirmed upload's staging key at its next run, whatever its age (hub.documents.purge).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import anyio.to_thread
from minio.error import MinioException
from urllib3.exceptions import HTTPError

from hub.access.principal import Principal
from hub.audit.linker import settle
from hub.audit.pending import NO_PENDING
from hub.core.clock import storable_time
from hub.core.ids import object_id
from hub.dispatch import TaskDispatcher
from hub.documents.access import can_see, document_for_change
from hub.documents.checks import cap_for, check_size, require_type
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.models import PendingUpload, StoredDocument, UploadStatus
from hub.documents.names import name_for_type
from hub.documents.record import CheckedFile, UploadResult, record_document
from hub.documents.remote import sniff_stored
from hub.documents.versions import record_version
from hub.i18n import Text
from hub.settings import Settings
from hub.storage import ObjectChangedError, ObjectInfo, ObjectStore

log = logging.getLogger(__name__)
# Longest a confirmation may hold an upload (it streams the whole object once); then another may take over.
CLAIM_LEASE = timedelta(minutes=15)
STORAGE_ERRORS = (MinioException, HTTPError, OSError)
# Refusals that keep the upload, so that the client can confirm again.
RETRYABLE = frozenset(
    {
        DocumentErrorCode.STORAGE_UNAVAILABLE,
        DocumentErrorCode.FILE_NOT_UPLOADED,
        DocumentErrorCode.CONFIRM_IN_PROGRESS,
        DocumentErrorCode.CONFLICT,
    }
)


def _not_found() -> DocumentError:
    return DocumentError(DocumentErrorCode.UPLOAD_NOT_FOUND, Text("documents.upload_not_found"), "id")


async def _owned(principal: Principal, upload_id: str) -> PendingUpload:
    oid = object_id(upload_id)
    pending = await PendingUpload.find_one({"_id": oid, "uploader": principal.actor}) if oid else None
    if pending is None:
        raise _not_found()
    return pending


async def _receipt(principal: Principal, pending: PendingUpload) -> UploadResult:
    """The document a confirmed upload recorded, as long as the principal, as it is now, may see it."""
    document = await StoredDocument.get(pending.document_id) if pending.document_id else None
    if document is None or not can_see(principal, document):
        raise DocumentError(
            DocumentErrorCode.UPLOAD_NOT_FOUND,
            Text("documents.upload_document_not_visible"),
            "id",
        )
    return UploadResult(document, created=False)


async def discard(store: ObjectStore, pending: PendingUpload) -> None:
    """Staging object first, then the record (once the audit entry of its request is linked, else the
    purge removes it later); safe to run twice."""
    try:
        await store.remove(pending.staging_key)
    except Exception as error:  # the purge removes stale staging objects without a record
        log.warning("could not remove staging object %s: %s", pending.staging_key, error)
    await settle(PendingUpload, pending.id)
    await PendingUpload.get_pymongo_collection().delete_one({"_id": pending.id, **NO_PENDING})


async def _claim(pending: PendingUpload, now: datetime) -> PendingUpload | None:
    """Take the upload for this confirmation; the receipt when another one already confirmed it."""
    collection = PendingUpload.get_pymongo_collection()
    result = await collection.update_one(
        {
            "_id": pending.id,
            "$or": [
                {"status": UploadStatus.PENDING.value},
                {"status": UploadStatus.CONFIRMING.value, "claimed_until": {"$lt": now}},
            ],
        },
        {"$set": {"status": UploadStatus.CONFIRMING.value, "claimed_until": now + CLAIM_LEASE}},
    )
    if result.matched_count == 1:
        return None
    current = await PendingUpload.get(pending.id)
    if current is not None and current.status is UploadStatus.CONFIRMED:
        return current
    raise DocumentError(
        DocumentErrorCode.CONFIRM_IN_PROGRESS,
        Text("documents.confirm_in_progress"),
        "id",
    )


async def _release(pending: PendingUpload) -> None:
    await PendingUpload.get_pymongo_collection().update_one(
        {"_id": pending.id, "status": UploadStatus.CONFIRMING.value},
        {"$set": {"status": UploadStatus.PENDING.value, "claimed_until": None}},
    )


def _unavailable(error: Exception) -> DocumentError:
    log.warning("object storage failed while confirming: %s", error)
    return DocumentError(DocumentErrorCode.STORAGE_UNAVAILABLE, Text("documents.check_unavailable"), "id")


async def _checked_file(
    store: ObjectStore, pending: PendingUpload, max_bytes: int, max_video_bytes: int
) -> tuple[CheckedFile, ObjectInfo]:
    try:
        info = await store.stat(pending.staging_key)
    except STORAGE_ERRORS as error:
        raise _unavailable(error) from error
    if info is None:
        raise DocumentError(
            DocumentErrorCode.FILE_NOT_UPLOADED,
            Text("documents.file_not_uploaded"),
            "id",
        )
    if info.size != pending.size:
        raise DocumentError(
            DocumentErrorCode.SIZE_MISMATCH,
            Text("documents.size_mismatch", size=info.size, declared=pending.size),
            "id",
        )
    check_size(info.size, max_bytes, "id")
    try:
        sniffed = await anyio.to_thread.run_sync(
            sniff_stored, store, pending.staging_key, info.size, info.etag
        )
        content_type = require_type(sniffed, "id")
        check_size(info.size, cap_for(content_type, max_bytes, max_video_bytes), "id")
        sha256, streamed = await anyio.to_thread.run_sync(
            lambda: store.sha256_sync(pending.staging_key, etag=info.etag)
        )
    except ObjectChangedError:
        raise DocumentError(
            DocumentErrorCode.HASH_MISMATCH, Text("documents.changed_while_checked"), "id"
        ) from None
    except STORAGE_ERRORS as error:
        raise _unavailable(error) from error
    if streamed != pending.size:
        raise DocumentError(
            DocumentErrorCode.SIZE_MISMATCH,
            Text("documents.streamed_size_mismatch", streamed=streamed, size=pending.size),
            "id",
        )
    if sha256 != pending.sha256:
        raise DocumentError(
            DocumentErrorCode.HASH_MISMATCH,
            Text("documents.hash_mismatch", sha256=sha256, declared=pending.sha256),
            "id",
        )
    checked = CheckedFile(
        file_name=name_for_type(pending.file_name, content_type),
        content_type=content_type,
        size=info.size,
        sha256=sha256,
    )
    return checked, info


async def _check_and_record(
    store: ObjectStore,
    dispatcher: TaskDispatcher,
    settings: Settings,
    principal: Principal,
    pending: PendingUpload,
    now: datetime,
) -> UploadResult:
    if not principal.can_upload_to(pending.region_path):
        raise DocumentError(
            DocumentErrorCode.PERMISSION_DENIED,
            Text("documents.may_no_longer_add", actor=principal.actor, region_code=pending.region_code),
            "id",
        )
    checked, info = await _checked_file(store, pending, settings.max_upload_bytes, settings.max_video_bytes)

    async def place(key: str, content_type: str) -> None:
        await store.copy(pending.staging_key, key, content_type, etag=info.etag)

    audit_extra = {"via": "presigned", "upload": str(pending.id)}
    if pending.replaces is not None:
        document = await document_for_change(principal, str(pending.replaces))
        return await record_version(
            store=store,
            dispatcher=dispatcher,
            document=document,
            category=pending.category,
            checked=checked,
            place=place,
            uploader=principal.actor,
            now=now,
            audit_extra=audit_extra,
        )
    return await record_document(
        store=store,
        dispatcher=dispatcher,
        region_code=pending.region_code,
        region_path=pending.region_path,
        category=pending.category,
        checked=checked,
        place=place,
        uploader=principal.actor,
        client_mutation_id=pending.client_mutation_id,
        now=now,
        audit_extra=audit_extra,
        record=pending.record,
    )


async def confirm_upload(
    *,
    store: ObjectStore,
    dispatcher: TaskDispatcher,
    settings: Settings,
    principal: Principal,
    upload_id: str,
    now: datetime,
) -> UploadResult:
    now = storable_time(now)
    pending = await _owned(principal, upload_id)
    if pending.status is UploadStatus.CONFIRMED:
        return await _receipt(principal, pending)
    if now >= pending.expires_at:
        await discard(store, pending)
        raise DocumentError(
            DocumentErrorCode.UPLOAD_EXPIRED,
            Text("documents.upload_expired", expired_at=pending.expires_at.isoformat()),
            "id",
        )
    confirmed_meanwhile = await _claim(pending, now)
    if confirmed_meanwhile is not None:
        return await _receipt(principal, confirmed_meanwhile)
    try:
        result = await _check_and_record(store, dispatcher, settings, principal, pending, now)
    except DocumentError as error:
        if error.code in RETRYABLE:
            await _release(pending)
        else:
            await discard(store, pending)
        raise
    except BaseException:
        await _release(pending)
        raise
    try:
        await store.remove(pending.staging_key)
    except Exception as error:  # the purge removes stale staging objects without a record
        log.warning("could not remove staging object %s: %s", pending.staging_key, error)
    await PendingUpload.get_pymongo_collection().update_one(
        {"_id": pending.id},
        {
            "$set": {
                "status": UploadStatus.CONFIRMED.value,
                "claimed_until": None,
                "document_id": result.document.id,
            }
        },
    )
    return result
