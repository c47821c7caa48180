"""Writes MongoDB records into the search index, one at a time or in bulk.

ES `_id` is the MongoDB id and the ES version is the record's counter (`version` for reports and cases,
`revision` for documents) with external versioning, so a replayed or late write never overwrites newer data;
a record that left the index (a trashed or rejected document) is deleted there the same way. The record's
`needs_index` marker is cleared afterwards only if the counter is still the one that was written.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from beanie import PydanticObjectId
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk
from pymongo import UpdateOne

from hub.core.clock import utcnow
from hub.core.ids import object_id
from hub.documents.models import StoredDocument
from search.kinds import DOCUMENT_KIND, RecordKind

log = logging.getLogger(__name__)
BULK_CHUNK = 2000  # actions per bulk request


def _settled(op: str, item: dict[str, Any]) -> bool:
    """The index already holds this version or a newer one (409), or there was nothing to delete (a 404
    that is the document's, not a missing index's)."""
    status = int(item.get("status", 0))
    if status == 409:
        return True
    return op == "delete" and status == 404 and item.get("result") == "not_found"


@dataclass
class BulkOutcome:
    written: int = 0
    deleted: int = 0
    stale: int = 0  # the index already held this version or a newer one
    failed: list[str] = field(default_factory=list)  # ids left marked for a later try

    def add(self, other: BulkOutcome) -> None:
        self.written += other.written
        self.deleted += other.deleted
        self.stale += other.stale
        self.failed += other.failed

    @property
    def total(self) -> int:
        return self.written + self.deleted + self.stale + len(self.failed)


def action(kind: RecordKind, target: str, record: Any) -> dict[str, Any]:
    """The bulk action that brings the index in line with the record at its current counter."""
    base = {
        "_index": target,
        "_id": str(record.id),
        "version": kind.version_of(record),
        "version_type": "external",
    }
    if kind.is_live(record):
        return {**base, "_op_type": "index", "_source": kind.source(record)}
    return {**base, "_op_type": "delete"}


async def _actions(kind: RecordKind, target: str, records: Sequence[Any]) -> AsyncIterator[dict[str, Any]]:
    """The actions, built a chunk at a time in a thread, the next chunk while the last one is being sent:
    building sources (stemming every text) is most of the indexer's own work, and Elasticsearch works on a
    chunk meanwhile, so the two overlap instead of taking turns."""

    def build(start: int) -> list[dict[str, Any]]:
        return [action(kind, target, record) for record in records[start : start + BULK_CHUNK]]

    starts = range(0, len(records), BULK_CHUNK)
    upcoming = asyncio.ensure_future(asyncio.to_thread(build, 0)) if records else None
    for position in range(len(starts)):
        assert upcoming is not None
        built = await upcoming
        following = position + 1
        upcoming = (
            asyncio.ensure_future(asyncio.to_thread(build, starts[following]))
            if following < len(starts)
            else None
        )
        for item in built:
            yield item


async def bulk_index(
    es: AsyncElasticsearch,
    kind: RecordKind,
    records: Sequence[Any],
    *,
    target: str,
    clear_markers: bool = True,
    refresh: bool = False,
    require_alias: bool = True,
) -> BulkOutcome:
    """Writes (or deletes) the records into `target`: an alias, or a new index during a rebuild
    (`require_alias=False`). Writing to a missing alias fails instead of creating an index by that name."""
    outcome = BulkOutcome()
    if not records:
        return outcome
    _, errors = await async_bulk(
        es,
        _actions(kind, target, records),
        raise_on_error=False,
        raise_on_exception=True,
        refresh=refresh,
        chunk_size=BULK_CHUNK,
        max_chunk_bytes=20 * 1024 * 1024,  # documents carry their extracted text
        require_alias=require_alias,
    )
    settled: dict[str, bool] = {}
    for error in errors if isinstance(errors, list) else []:
        (op, item), *_ = error.items()
        settled[str(item.get("_id"))] = _settled(op, item)
        if not settled[str(item.get("_id"))]:
            log.warning("indexing %s %s failed: %s", kind.name, item.get("_id"), item.get("error"))
    done = []
    for record in records:
        record_id = str(record.id)
        status = settled.get(record_id)
        if status is None:
            if kind.is_live(record):
                outcome.written += 1
            else:
                outcome.deleted += 1
            done.append(record)
        elif status:
            outcome.stale += 1
            done.append(record)
        else:
            outcome.failed.append(record_id)
    if clear_markers:
        await clear_markers_of(kind, done)
    return outcome


async def clear_markers_of(kind: RecordKind, records: Sequence[Any]) -> None:
    """Clears `needs_index` where the record's counter is still the one indexed; a change made meanwhile
    keeps its marker, so the sweep indexes it again."""
    updates = []
    for record in records:
        if not getattr(record, "needs_index", False):
            continue
        extra = kind.on_indexed(record)
        if extra:
            extra["updated_at"] = utcnow()
        updates.append(
            UpdateOne(
                {"_id": record.id, kind.counter: kind.version_of(record)},
                {"$set": {"needs_index": False, **extra}},
            )
        )
    if updates:
        await kind.model.get_pymongo_collection().bulk_write(updates, ordered=False)


async def index_record(es: AsyncElasticsearch, prefix: str, kind: RecordKind, record: Any) -> bool:
    """Index one record at its counter and clear its marker; False when newer data was already there."""
    outcome = await bulk_index(es, kind, [record], target=kind.alias(prefix))
    if outcome.failed:
        raise RuntimeError(f"indexing {kind.name} {record.id} failed; it stays marked for the sweep")
    return outcome.stale == 0


async def index_document(es: AsyncElasticsearch, prefix: str, document: StoredDocument) -> bool:
    return await index_record(es, prefix, DOCUMENT_KIND, document)


async def index_pending(es: AsyncElasticsearch, prefix: str, kind: RecordKind, record_id: str) -> str:
    """What a queued indexing message does: reload, and index when the record is still marked."""
    oid = object_id(record_id)
    record = await kind.model.get(oid) if oid is not None else None
    if record is None or not getattr(record, "needs_index", False):
        return "nothing to do"
    return "indexed" if await index_record(es, prefix, kind, record) else "already newer"


async def index_marked(
    es: AsyncElasticsearch, prefix: str, kind: RecordKind, *, batch: int = 500, limit: int = 10_000
) -> BulkOutcome:
    """The sweep: every record still marked `needs_index`, in batches by id, at most `limit` per run. The
    next batch is read from MongoDB while the current one is indexed."""
    total = BulkOutcome()

    async def marked(after: PydanticObjectId | None) -> list[Any]:
        criteria: dict[str, Any] = {"needs_index": True}
        if after is not None:
            criteria["_id"] = {"$gt": after}
        return list(await kind.model.find(criteria).sort("_id").limit(batch).to_list())

    records = await marked(None)
    while records:
        following = asyncio.ensure_future(marked(records[-1].id)) if len(records) == batch else None
        try:
            total.add(await bulk_index(es, kind, records, target=kind.alias(prefix)))
        except BaseException:
            if following is not None:
                following.cancel()
            raise
        if following is None:
            break
        if total.total >= limit:
            following.cancel()
            break
        records = await following
    return total
