"""`pantau reindex`: rebuild one kind of record from MongoDB into a new index and swap the alias over.

No downtime: searches and live indexing use the alias, which points at the old index until the swap.
No lost update: a record changed during the rebuild has `updated_at` after the rebuild started; once the
alias points at the new index, every such record is indexed again through the alias. External versions make
these repeated writes safe in any order, and a live write that reached the old index late is repeated too.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from elasticsearch import AsyncElasticsearch

from hub.core.clock import utcnow
from search.indexer import BulkOutcome, bulk_index
from search.indices import DEFAULT_LAYOUT, IndexLayout, alias_targets, create_index
from search.kinds import RecordKind

log = logging.getLogger(__name__)
# Changes stamped up to this long before the start are caught up as well: clocks of app servers differ.
CLOCK_SKEW = timedelta(seconds=30)
Progress = Callable[[int], Awaitable[None]]


@dataclass
class RebuildResult:
    kind: str
    index: str
    previous: list[str]
    copied: BulkOutcome = field(default_factory=BulkOutcome)
    caught_up: BulkOutcome = field(default_factory=BulkOutcome)
    dropped: list[str] = field(default_factory=list)


async def count_records(kind: RecordKind) -> int:
    return int(await kind.model.get_pymongo_collection().count_documents(kind.rebuild_filter))


async def _noop(done: int) -> None:
    return None


async def rebuild(
    es: AsyncElasticsearch,
    prefix: str,
    kind: RecordKind,
    *,
    batch: int = 1000,
    keep_old: bool = False,
    progress: Progress = _noop,
    now: datetime | None = None,
    layout: IndexLayout = DEFAULT_LAYOUT,
) -> RebuildResult:
    """Copy every record of the kind into a new index, swap the alias, catch up, drop the old index."""
    started = now or utcnow()
    alias = kind.alias(prefix)
    index = kind.definition.rebuild_index(prefix, started)
    await create_index(es, kind.definition, index, layout)
    previous = await alias_targets(es, alias)
    result = RebuildResult(kind=kind.name, index=index, previous=previous)
    try:
        # Markers stay: until the swap, searches read the old index, which may still lack a marked record.
        result.copied = await _copy(
            es,
            kind,
            kind.rebuild_filter,
            target=index,
            batch=batch,
            clear=False,
            progress=progress,
            fresh_index=True,
        )
        await es.indices.refresh(index=index)
        await _swap(es, alias, index, previous)
    except BaseException:
        if index not in await alias_targets(es, alias):  # never drop what the alias already points at
            await es.indices.delete(index=index, ignore_unavailable=True)
        raise
    # Every kind of change counts here, a move to the trash included: is_live decides index or delete.
    changed = {"$or": [{"updated_at": {"$gte": started - CLOCK_SKEW}}, {"needs_index": True}]}
    result.caught_up = await _copy(es, kind, changed, target=alias, batch=batch, clear=True, progress=_noop)
    if not keep_old:
        for old in previous:
            await es.indices.delete(index=old, ignore_unavailable=True)
            result.dropped.append(old)
    log.info(
        "rebuilt %s into %s: %d copied, %d caught up",
        kind.name,
        index,
        result.copied.total,
        result.caught_up.total,
    )
    return result


async def _swap(es: AsyncElasticsearch, alias: str, index: str, previous: list[str]) -> None:
    """One atomic alias change: readers and writers see either the old index or the new one."""
    actions: list[dict[str, Any]] = [{"remove": {"index": old, "alias": alias}} for old in previous]
    actions.append({"add": {"index": index, "alias": alias, "is_write_index": True}})
    await es.indices.update_aliases(actions=actions)


async def _copy(
    es: AsyncElasticsearch,
    kind: RecordKind,
    criteria: dict[str, Any],
    *,
    target: str,
    batch: int,
    clear: bool,
    progress: Progress,
    fresh_index: bool = False,
) -> BulkOutcome:
    """Streams the matching records in id order, one bounded batch at a time, into `target`."""
    total = BulkOutcome()
    last: Any = None
    while True:
        after = [{"_id": {"$gt": last}}] if last is not None else []
        parts = [part for part in (criteria, *after) if part]
        query = {"$and": parts} if len(parts) > 1 else (parts[0] if parts else {})
        records = await kind.model.find(query).sort("_id").limit(batch).to_list()
        if not records:
            break
        outcome = await bulk_index(
            es, kind, records, target=target, clear_markers=clear, require_alias=not fresh_index
        )
        total.add(outcome)
        await progress(len(records))
        last = records[-1].id
        if len(records) < batch:
            break
    return total
