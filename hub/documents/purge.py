"""The periodic purge: documents in the trash past the retention, expired presigned uploads, and staging
objects that no upload waits for: at the key of a confirmed upload (its form still works until it expires, and
a client may POST again), or older than any upload can live without a record (a form used again after its
upload was refused).

Bytes go first, then the record, so a crash in between leaves a record whose bytes are gone and the next
run finishes it; removing an object that is not there succeeds. The record goes by its audit entry: the
`document.purge` entry is written into the document to delete (hub.audit.pending, `delete=True`), and the
linker deletes the document once the entry is in the chain. Safe to run twice, and concurrently: the
entry's id derives from the document, so it is recorded once. An upload record is deleted only when no
audit entry waits in it (`settle` first).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import anyio.to_thread

from hub.audit.linker import complete, settle
from hub.audit.pending import NO_PENDING, pending_entry, push_pending
from hub.documents.models import PendingUpload, StoredDocument, UploadStatus
from hub.documents.presigned import STAGING_PREFIX
from hub.settings import Settings
from hub.storage import ObjectStore
from hub.sync.models import RemovalCause, SyncKind
from hub.sync.tombstones import record_removal

PURGE_ACTOR = "system:trash-purge"
BATCH = 200
MAX_BATCHES = 50  # per run; the next run continues


@dataclass(frozen=True)
class PurgeCounts:
    documents: int
    uploads: int
    staging_objects: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


async def purge_trash(store: ObjectStore, *, retention: timedelta, now: datetime) -> int:
    """Documents deleted before now - retention, with the bytes of every version."""
    cutoff = now - retention
    collection = StoredDocument.get_pymongo_collection()
    purged = 0
    for _ in range(MAX_BATCHES):
        # Not those whose purge is recorded already and waits for the linker to delete them.
        due = {"deleted_at": {"$lt": cutoff}, "audit_pending.delete": {"$ne": True}}
        found = await StoredDocument.find(due).limit(BATCH).to_list()
        for document in found:
            for key in document.object_keys:
                await store.remove(key)
            audit = pending_entry(
                PURGE_ACTOR,
                "document.purge",
                f"Document:{document.id}",
                {
                    "region": document.region_code,
                    "file_name": document.file_name,
                    "versions": document.version,
                    "deleted_at": document.deleted_at,
                    "deleted_by": document.deleted_by,
                },
                delete=True,
            )
            result = await collection.update_one(
                {"_id": document.id, **due},
                {"$push": push_pending(audit)},
            )
            if result.modified_count:
                purged += 1
                # Those listing the trash had it until now.
                await record_removal(
                    SyncKind.DOCUMENT,
                    document.id,
                    RemovalCause.PURGED,
                    key="purge",
                    region_path=document.region_path,
                    at=now,
                )
                await complete(StoredDocument, document.id, audit)
        if len(found) < BATCH:
            break
    return purged


async def purge_uploads(store: ObjectStore, *, now: datetime, stale_after: timedelta) -> tuple[int, int]:
    """Expired uploads with their staging objects, then the staging objects no pending upload waits for: at
    a confirmed upload's key whatever their age, otherwise once older than `stale_after`. Returns (uploads,
    staging objects) removed."""
    collection = PendingUpload.get_pymongo_collection()
    uploads = 0
    for _ in range(MAX_BATCHES):
        expired = (
            await PendingUpload.find(
                # not while a confirmation still holds its lease
                {
                    "expires_at": {"$lt": now},
                    "$or": [{"claimed_until": None}, {"claimed_until": {"$lt": now}}],
                }
            )
            .limit(BATCH)
            .to_list()
        )
        for pending in expired:
            await store.remove(pending.staging_key)
            await settle(PendingUpload, pending.id)
            uploads += (await collection.delete_one({"_id": pending.id, **NO_PENDING})).deleted_count
        if len(expired) < BATCH:
            break

    objects = await anyio.to_thread.run_sync(store.objects_sync, STAGING_PREFIX)
    records = await PendingUpload.find({"staging_key": {"$in": [item.key for item in objects]}}).to_list()
    waiting = {pending.staging_key for pending in records if pending.status is not UploadStatus.CONFIRMED}
    consumed = {pending.staging_key for pending in records if pending.status is UploadStatus.CONFIRMED}
    orphans = [
        item.key
        for item in objects
        if item.key not in waiting
        and (
            item.key in consumed
            or (item.last_modified is not None and item.last_modified < now - stale_after)
        )
    ]
    for key in orphans:
        await store.remove(key)
    return uploads, len(orphans)


async def purge_documents(store: ObjectStore, settings: Settings, now: datetime) -> PurgeCounts:
    documents = await purge_trash(store, retention=timedelta(days=settings.trash_retention_days), now=now)
    stale_after = timedelta(seconds=settings.upload_url_ttl_seconds + settings.upload_confirm_grace_seconds)
    uploads, orphans = await purge_uploads(store, now=now, stale_after=stale_after)
    return PurgeCounts(documents=documents, uploads=uploads, staging_objects=orphans)
