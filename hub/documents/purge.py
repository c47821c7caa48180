"""The periodic purge: documents in the trash past the retention, expired presigned uploads, and staging
objects that no upload claims any more (a client may PUT again to a URL after its upload was refused).

Bytes go first, then the record, so a crash in between leaves a record whose bytes are gone and the next
run finishes it; removing an object that is not there succeeds. Safe to run twice, and concurrently.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import anyio.to_thread

from hub.audit.service import record
from hub.documents.models import PendingUpload, StoredDocument, UploadStatus
from hub.documents.presigned import STAGING_PREFIX
from hub.settings import Settings
from hub.storage import ObjectStore

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
        found = await StoredDocument.find({"deleted_at": {"$lt": cutoff}}).limit(BATCH).to_list()
        for document in found:
            for key in document.object_keys:
                await store.remove(key)
            result = await collection.delete_one({"_id": document.id, "deleted_at": {"$lt": cutoff}})
            if result.deleted_count:
                purged += 1
                await record(
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
                )
        if len(found) < BATCH:
            break
    return purged


async def purge_uploads(store: ObjectStore, *, now: datetime, stale_after: timedelta) -> tuple[int, int]:
    """Expired uploads with their staging objects, then staging objects older than any upload can live that
    no pending upload claims. Returns (uploads, orphaned staging objects) removed."""
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
            uploads += (await collection.delete_one({"_id": pending.id})).deleted_count
        if len(expired) < BATCH:
            break

    objects = await anyio.to_thread.run_sync(store.objects_sync, STAGING_PREFIX)
    stale = [item.key for item in objects if item.last_modified and item.last_modified < now - stale_after]
    waiting = await PendingUpload.find(
        {"staging_key": {"$in": stale}, "status": {"$ne": UploadStatus.CONFIRMED.value}}
    ).to_list()
    claimed = {pending.staging_key for pending in waiting}
    orphans = [key for key in stale if key not in claimed]
    for key in orphans:
        await store.remove(key)
    return uploads, len(orphans)


async def purge_documents(store: ObjectStore, settings: Settings, now: datetime) -> PurgeCounts:
    documents = await purge_trash(store, retention=timedelta(days=settings.trash_retention_days), now=now)
    stale_after = timedelta(seconds=settings.upload_url_ttl_seconds + settings.upload_confirm_grace_seconds)
    uploads, orphans = await purge_uploads(store, now=now, stale_after=stale_after)
    return PurgeCounts(documents=documents, uploads=uploads, staging_objects=orphans)
