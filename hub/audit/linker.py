"""Linking pending audit entries (hub.audit.pending) into the chain, in batches, by one linker at a time.

Who links. A request that made a change tries to link its own entry right after its update (`complete`):
concurrent requests of one process share one attempt (a group commit: whoever gets this process's turn
links everything queued by then). Across processes, only the holder of a short lease in Redis links, so
writers never race for the next seq; a request that finds the lease taken does not wait: its entry is
already safe in its document, and the periodic linker (`link_pending`, every
PANTAU_AUDIT_LINK_INTERVAL_SECONDS) links it with every other entry waiting, in a few batches (one head
read and one ordered insert of consecutive seqs per batch). So an entry reaches the chain right away when
writes are few, and within about one interval under load, while no request queues on the seq.

The lease only avoids wasted work: the chain stays linear by the unique `seq` alone, and each pending entry
is linked once by the unique `pending_id`, so a linker that lost its lease (or runs without Redis) is still
correct; it may just have to try again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from beanie import Document
from pydantic import ValidationError
from pymongo import DeleteOne, UpdateOne
from redis.asyncio import Redis
from redis.exceptions import LockError, RedisError

from hub.audit.chain import AuditKey
from hub.audit.models import AuditEntry
from hub.audit.pending import (
    HAS_PENDING,
    PENDING_FIELD,
    REJECTED_FIELD,
    Audited,
    PendingAudit,
    audited_models,
    collection_of,
)
from hub.audit.service import MAX_ATTEMPTS, AuditChainBusyError, NewEntry, append_once, backoff, process_key
from hub.core.clock import utcnow

log = logging.getLogger(__name__)

BATCH = 500  # entries per ordered insert, and pending entries read per collection at a time
MAX_ROUNDS = 100  # batches per `link_pending` pass at most; the next pass goes on
LEASE_RETRY_SECONDS = 30.0  # how long linkers go without the lease after Redis failed to answer
LEASE_SECONDS = 10.0  # a linker that died holding the lease stops others for at most this long


@dataclass(frozen=True)
class Marked:
    """A pending entry and the document it waits in."""

    collection: str
    document_id: Any
    entry: PendingAudit


@dataclass
class LinkOutcome:
    """What a linker did: entries it `linked`, ones `already` in the chain (a retry, or another linker),
    unsealed ones it `rejected` (set aside for `pantau audit verify`), and ones it `deferred` to the
    periodic linker because another process held the lease."""

    linked: int = 0
    already: int = 0
    rejected: int = 0
    deferred: int = 0

    def add(self, other: LinkOutcome) -> None:
        self.linked += other.linked
        self.already += other.already
        self.rejected += other.rejected
        self.deferred += other.deferred

    def as_dict(self) -> dict[str, int]:
        return {
            "linked": self.linked,
            "already": self.already,
            "rejected": self.rejected,
            "deferred": self.deferred,
        }


@dataclass
class LeaseConfig:
    redis: Redis | None = None
    name: str = "pantau:audit-linker"
    # After Redis failed to answer, linkers go without the lease until then (time.monotonic()): asking a
    # Redis that is down costs its client's connection retries (~9 s through Sentinel) per audited write.
    unavailable_until: float = 0.0


_lease_config = LeaseConfig()


def configure_link_lease(redis: Redis | None, namespace: str) -> LeaseConfig:
    """The Redis client and the name of the lease that linkers of this database share (hub.clients); returns
    the configuration it replaced, for `release_link_lease`."""
    previous = LeaseConfig(_lease_config.redis, _lease_config.name, _lease_config.unavailable_until)
    _lease_config.redis = redis
    _lease_config.name = f"pantau:audit-linker:{namespace}"
    _lease_config.unavailable_until = 0.0
    return previous


def release_link_lease(redis: Redis, previous: LeaseConfig) -> None:
    """`redis` is being closed: if the lease still goes through it, it goes back to the configuration before.
    A process may open short-lived clients while its long-lived ones stay open (a command, a test); without
    this, every later link would ask a closed client (or a Redis that is gone) for the lease, and wait out its
    connection retries each time."""
    if _lease_config.redis is redis:
        _lease_config.redis, _lease_config.name = previous.redis, previous.name
        _lease_config.unavailable_until = previous.unavailable_until


@asynccontextmanager
async def _lease(*, wait: bool) -> AsyncIterator[bool]:
    """Holds the linkers' lease for the block: True when held (or when Redis cannot be asked: the unique
    seq keeps the chain linear without it), False when another linker has it."""
    redis = _lease_config.redis
    if redis is None or time.monotonic() < _lease_config.unavailable_until:
        yield True
        return
    lock = redis.lock(_lease_config.name, timeout=LEASE_SECONDS, blocking_timeout=LEASE_SECONDS)
    try:
        held = await lock.acquire(blocking=wait)
    except Exception as error:  # Redis down, or its client closed with the clients that opened it
        _lease_config.unavailable_until = time.monotonic() + LEASE_RETRY_SECONDS
        log.warning(
            "audit linker lease unavailable (%s); linking without it for %.0f s", error, LEASE_RETRY_SECONDS
        )
        yield True
        return
    if not held:
        yield False
        return
    try:
        yield True
    finally:
        try:
            await lock.release()
        except (LockError, RedisError) as error:  # expired meanwhile: nothing to give back
            log.warning("audit linker lease not released: %s", error)


async def _linked_ids(ids: Iterable[str]) -> set[str]:
    wanted = list(ids)
    if not wanted:
        return set()
    found = await AuditEntry.get_pymongo_collection().distinct("pending_id", {"pending_id": {"$in": wanted}})
    return {str(value) for value in found}


def _new(entry: PendingAudit, region_paths: dict[str, list[str]]) -> NewEntry:
    return NewEntry(
        entry.actor, entry.action, entry.target, entry.at, entry.change, entry.id, region_paths.get(entry.id)
    )


async def _region_paths(marked: Sequence[Marked]) -> dict[str, list[str]]:
    """Pending entry id → the region path of the document it waits in, for documents that have one: what
    lets reviewers read the entry within their regions (AuditEntry.region_path). One query per collection."""
    by_collection: dict[str, dict[Any, list[str]]] = {}
    for item in marked:
        by_collection.setdefault(item.collection, {}).setdefault(item.document_id, []).append(item.entry.id)
    found: dict[str, list[str]] = {}
    models = audited_models()
    for collection, entries in by_collection.items():
        if "region_path" not in models[collection].model_fields:
            continue
        documents = (
            models[collection]
            .get_pymongo_collection()
            .find({"_id": {"$in": list(entries)}}, projection={"region_path": 1})
        )
        async for document in documents:
            path = document.get("region_path")
            if isinstance(path, list) and path:
                for entry_id in entries[document["_id"]]:
                    found.setdefault(entry_id, [str(code) for code in path])
    return found


async def _append(key: AuditKey, entries: list[PendingAudit], region_paths: dict[str, list[str]]) -> int:
    """Appends those of `entries` not in the chain yet, in order; returns how many this call appended."""
    appended, attempt, todo = 0, 0, entries
    while todo:
        inserted, complete = await append_once(key, [_new(entry, region_paths) for entry in todo[:BATCH]])
        appended += len(inserted)
        todo = todo[len(inserted) :]
        if not complete:
            # Refused: the seq was taken (another linker, or `record`), or the entry was linked already.
            attempt += 1
            if attempt >= MAX_ATTEMPTS:
                raise AuditChainBusyError(f"could not link {len(todo)} pending audit entries")
            done = await _linked_ids(entry.id for entry in todo)
            todo = [entry for entry in todo if entry.id not in done]
            await backoff(attempt)
    return appended


async def _pull(marked: Sequence[Marked]) -> None:
    """Takes linked entries out of their documents. An entry recording the document's deletion stays until
    the document is deleted, which happens once no other entry waits in it (else a later pass, finding
    the entry linked already, tries again), so that no entry is deleted before it is linked."""
    ids_by_document: dict[tuple[str, Any], list[str]] = {}
    writes: dict[str, list[UpdateOne | DeleteOne]] = {}
    for item in marked:
        key = (item.collection, item.document_id)
        if item.entry.delete:
            only_this = {PENDING_FIELD: {"$size": 1}, f"{PENDING_FIELD}.id": item.entry.id}
            writes.setdefault(item.collection, []).append(DeleteOne({"_id": item.document_id, **only_this}))
        else:
            ids_by_document.setdefault(key, []).append(item.entry.id)
    for (collection, document_id), ids in ids_by_document.items():
        pull = {"$pull": {PENDING_FIELD: {"id": {"$in": ids}}}}
        writes.setdefault(collection, []).insert(0, UpdateOne({"_id": document_id}, pull))
    models = audited_models()
    for collection, ordered_writes in writes.items():
        # Ordered: the pulls (first) before the deletes.
        await models[collection].get_pymongo_collection().bulk_write(ordered_writes, ordered=True)


async def _set_aside(collection: str, document_id: Any, raw: Any, why: str) -> None:
    """Moves a pending entry that must not be linked to `audit_rejected`, where verify reports it."""
    log.error("audit: a pending entry in %s %s is not linked: %s", collection, document_id, why)
    await (
        audited_models()[collection]
        .get_pymongo_collection()
        .update_one(
            {"_id": document_id},
            {"$pull": {PENDING_FIELD: raw}, "$push": {REJECTED_FIELD: {"entry": raw, "why": why}}},
        )
    )


async def link(marked: Sequence[Marked], key: AuditKey | None = None) -> LinkOutcome:
    """Links every sealed entry of `marked` (each once, in the order of their times), then takes them out
    of their documents. Call it holding the lease (`complete`, `link_pending`)."""
    key = key or process_key()
    outcome = LinkOutcome()
    sealed: list[Marked] = []
    for item in marked:
        if item.entry.sealed_with(key):
            sealed.append(item)
        else:
            outcome.rejected += 1
            await _set_aside(item.collection, item.document_id, item.entry.stored(), "seal does not match")
    # One entry may wait in several documents (one change to many): it is linked once.
    unique = {item.entry.id: item.entry for item in sealed}
    ordered = sorted(unique.values(), key=lambda entry: (entry.at, entry.id))
    outcome.linked = await _append(key, ordered, await _region_paths(sealed))
    outcome.already = len(ordered) - outcome.linked
    await _pull(sealed)
    return outcome


class _Turns:
    """One event loop's queue of entries to link and the lock that gives one request at a time the turn."""

    def __init__(self) -> None:
        self.queue: list[tuple[Marked, asyncio.Future[bool]]] = []
        self.lock = asyncio.Lock()


_turns: WeakKeyDictionary[asyncio.AbstractEventLoop, _Turns] = WeakKeyDictionary()


def _this_loop_turns() -> _Turns:
    loop = asyncio.get_running_loop()
    turns = _turns.get(loop)
    if turns is None:
        turns = _turns[loop] = _Turns()
    return turns


async def complete(model: type[Document], document_id: Any, entry: PendingAudit) -> bool:
    """Links `entry`, which the caller has just written into its document, if this process can now: True
    when it is in the chain, False when it was left to the periodic linker (another process held the
    lease, or linking failed). Never raises for the linking: the change is done and its entry is safe."""
    turns = _this_loop_turns()
    mine: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    turns.queue.append((Marked(collection_of(model), document_id, entry), mine))
    async with turns.lock:
        if mine.done():  # linked by whoever had the turn before
            return mine.result()
        batch, turns.queue = turns.queue, []
        linked = False
        try:
            async with _lease(wait=False) as held:
                if held:
                    await link([item for item, _ in batch])
                    linked = True
        except Exception:
            log.exception("audit: linking %d pending entries failed; the periodic linker retries", len(batch))
        finally:
            for _, waiting in batch:
                if not waiting.done():
                    waiting.set_result(linked)
    return mine.result()


async def complete_many(model: type[Document], document_ids: Sequence[Any], entry: PendingAudit) -> bool:
    """`complete` for one entry written into several documents (one change to many): linked once, then
    taken out of all of them."""
    if not document_ids:
        return True
    linked = await complete(model, document_ids[0], entry)
    if linked and len(document_ids) > 1:
        await model.get_pymongo_collection().update_many(
            {"_id": {"$in": list(document_ids[1:])}}, {"$pull": {PENDING_FIELD: {"id": entry.id}}}
        )
    return linked


async def complete_insert(document: Document, entry: PendingAudit) -> bool:
    """`complete` for a document just inserted with `entry` (pending.attach_pending); the caller's copy of
    the document then shows it linked."""
    linked = await complete(type(document), document.id, entry)
    if linked and isinstance(document, Audited):
        document.audit_pending = []
    return linked


async def settle(model: type[Document], document_id: Any) -> bool:
    """Links the entries waiting in one document, before it is deleted (waiting for the lease): True when
    none is left waiting. Delete it with NO_PENDING in the filter all the same."""
    collection = collection_of(model)
    raw = await model.get_pymongo_collection().find_one(
        {"_id": document_id, **HAS_PENDING}, projection={PENDING_FIELD: 1}
    )
    if raw is None:
        return True
    try:
        marked = [
            Marked(collection, document_id, PendingAudit.model_validate(item)) for item in raw[PENDING_FIELD]
        ]
        async with _lease(wait=True) as held:
            if held:
                await link(marked)
            return held
    except Exception:
        log.exception("audit: could not link the entries waiting in %s %s", collection, document_id)
        return False


async def _waiting(before: datetime) -> list[Marked]:
    """The pending entries written before `before` of up to BATCH documents per audited collection; a
    malformed one is set aside."""
    marked: list[Marked] = []
    for collection, model in audited_models().items():
        documents = (
            await model.get_pymongo_collection()
            .find({f"{PENDING_FIELD}.at": {"$lte": before}}, projection={PENDING_FIELD: 1})
            .limit(BATCH)
            .to_list()
        )
        for document in documents:
            for raw in document.get(PENDING_FIELD) or []:
                try:
                    entry = PendingAudit.model_validate(raw)
                except ValidationError:
                    await _set_aside(collection, document["_id"], raw, "malformed pending entry")
                    continue
                if entry.at <= before:
                    marked.append(Marked(collection, document["_id"], entry))
    return marked


async def link_pending(*, key: AuditKey | None = None, before: datetime | None = None) -> LinkOutcome:
    """The periodic linker: links every pending entry written before `before` (by default, when the pass
    starts) in every audited collection, waiting for the lease. A crash between a change and the linking
    of its entry is completed here."""
    key = key or process_key()
    before = before or utcnow()
    total = LinkOutcome()
    for _ in range(MAX_ROUNDS):
        async with _lease(wait=True) as held:
            if not held:
                log.warning("audit linker: the lease stayed taken; the next pass goes on")
                break
            marked = await _waiting(before)
            if not marked:
                break
            total.add(await link(marked, key))
    return total


@dataclass(frozen=True)
class Waiting:
    """Pending entries not linked yet, and set-aside ones, across the audited collections."""

    count: int = 0
    oldest: datetime | None = None
    rejected: int = 0
    by_collection: dict[str, int] = field(default_factory=dict)


async def waiting_entries() -> Waiting:
    """How many pending entries wait (and since when), and how many were set aside as unsealed."""
    count, rejected, oldest, per = 0, 0, None, {}
    for collection, model in audited_models().items():
        raw = model.get_pymongo_collection()
        pipeline: list[dict[str, Any]] = [
            {"$match": {f"{PENDING_FIELD}.0": {"$exists": True}}},
            {"$unwind": f"${PENDING_FIELD}"},
            {"$group": {"_id": None, "count": {"$sum": 1}, "oldest": {"$min": f"${PENDING_FIELD}.at"}}},
        ]
        for group in await (await raw.aggregate(pipeline)).to_list():
            count += int(group["count"])
            per[collection] = int(group["count"])
            if group["oldest"] is not None and (oldest is None or group["oldest"] < oldest):
                oldest = group["oldest"]
        rejected += await raw.count_documents({f"{REJECTED_FIELD}.0": {"$exists": True}})
    return Waiting(count, oldest, rejected, per)
