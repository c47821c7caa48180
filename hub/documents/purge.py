"""The periodic purge: documents in the trash past the retention, expired presigned uploads, staging
objects that no upload waits for: at the key of a confirmed upload (its form still works until it expires, and
a client may POST again), or older than any upload can live without a record (a form used again after its
upload was refused), and objects under `documents/` that no document names once older than
PANTAU_ORPHAN_OBJECT_GRACE_SECONDS: the bytes of an upload whose process died (SIGKILL, a lost node) after
storing them and before recording them (found by the multi-node drill, `make drill`).

An object is removed with a purged document only when no other document names it: the national demo's files
(`demo/<sha256>`) are shared by the documents of many regions.

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
from redis.asyncio import Redis

from hub.audit.linker import complete, settle
from hub.audit.pending import NO_PENDING, pending_entry, push_pending
from hub.documents.models import PendingUpload, StoredDocument, UploadStatus
from hub.documents.presigned import STAGING_PREFIX
from hub.documents.record import OBJECT_PREFIX
from hub.settings import Settings
from hub.storage import ObjectStore
from hub.sync.models import RemovalCause, SyncKind
from hub.sync.tombstones import record_removal

PURGE_ACTOR = "system:trash-purge"
BATCH = 200
MAX_BATCHES = 50  # per run; the next run continues
ORPHAN_SWEEP_OBJECTS = 20_000  # objects under documents/ listed per run (20 listing pages); the next goes on


@dataclass(frozen=True)
class PurgeCounts:
    documents: int
    uploads: int
    staging_objects: int
    orphan_objects: int

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
            shared = await _named_by_others(document.object_keys, document.id)
            for key in document.object_keys:
                if key not in shared:
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


async def _named_by_others(keys: list[str], document_id: object) -> set[str]:
    """Those of `keys` that a document other than `document_id` names (any version), leaving out the
    documents whose purge is recorded already: the last of them to go removes the shared object."""
    return await _named(keys, {"_id": {"$ne": document_id}, "audit_pending.delete": {"$ne": True}})


async def _named(keys: list[str], among: dict[str, object] | None = None) -> set[str]:
    """Those of `keys` that a document names, as its current object or an earlier version's."""
    criteria = {
        "$or": [
            {"object_key": {"$in": keys}},
            {"previous_versions.object_key": {"$in": keys}},
            {"media.derivatives.object_key": {"$in": keys}},
        ]
    }
    projection = {"object_key": 1, "previous_versions.object_key": 1, "media.derivatives.object_key": 1}
    collection = StoredDocument.get_pymongo_collection()
    named: set[str] = set()
    async for found in collection.find({**criteria, **(among or {})}, projection):
        named.add(found["object_key"])
        named.update(version["object_key"] for version in found.get("previous_versions", []))
        named.update(item["object_key"] for item in (found.get("media") or {}).get("derivatives", []))
    return named & set(keys)


@dataclass(frozen=True)
class SweepMarker:
    """Where the orphan sweep stopped listing, kept in Redis between runs. Lost (Redis emptied), the sweep
    starts over from the first key: harmless, as every step of the purge is."""

    redis: Redis
    key: str

    @classmethod
    def for_settings(cls, redis: Redis, settings: Settings) -> SweepMarker:
        return cls(redis, f"{settings.es_index_prefix}:purge:orphan-sweep-after")

    async def get(self) -> str | None:
        after = await self.redis.get(self.key)
        return after.decode() if isinstance(after, bytes) else after

    async def set(self, after: str | None) -> None:
        if after is None:
            await self.redis.delete(self.key)
        else:
            await self.redis.set(self.key, after)


async def purge_orphan_objects(
    store: ObjectStore,
    *,
    now: datetime,
    grace: timedelta,
    marker: SweepMarker | None = None,
    limit: int = ORPHAN_SWEEP_OBJECTS,
) -> int:
    """Objects under `documents/` older than `grace` that no document names (see the module's docstring).
    Uploads record their bytes within seconds of storing them; the grace is far longer.

    With a marker, one run lists at most `limit` objects, after the key where the last run stopped, and the
    run that reaches the end starts the next sweep over: a bucket of ten years' documents is swept over
    several runs, each a bounded number of listing pages and MongoDB reads, never all of it every hour.
    Without one, the whole prefix in one run (`pantau check` and the tests)."""
    after = await marker.get() if marker is not None else None
    page = limit if marker is not None else None
    objects = await anyio.to_thread.run_sync(
        lambda: store.objects_sync(OBJECT_PREFIX, start_after=after, limit=page)
    )
    old = [
        item.key for item in objects if item.last_modified is not None and item.last_modified < now - grace
    ]
    removed = 0
    for start in range(0, len(old), BATCH):
        keys = old[start : start + BATCH]
        named = await _named(keys)
        for key in keys:
            if key not in named:
                await store.remove(key)
                removed += 1
    if marker is not None:
        await marker.set(objects[-1].key if page is not None and len(objects) == page else None)
    return removed


async def purge_documents(
    store: ObjectStore, settings: Settings, now: datetime, *, marker: SweepMarker | None = None
) -> PurgeCounts:
    documents = await purge_trash(store, retention=timedelta(days=settings.trash_retention_days), now=now)
    stale_after = timedelta(seconds=settings.upload_url_ttl_seconds + settings.upload_confirm_grace_seconds)
    uploads, orphans = await purge_uploads(store, now=now, stale_after=stale_after)
    strays = await purge_orphan_objects(
        store, now=now, grace=timedelta(seconds=settings.orphan_object_grace_seconds), marker=marker
    )
    return PurgeCounts(documents=documents, uploads=uploads, staging_objects=orphans, orphan_objects=strays)
