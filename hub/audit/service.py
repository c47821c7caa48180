"""Appending to the audit chain and checking it, without transactions.

The chain stays linear because `seq` is unique: a writer reads the head, builds the next entry on it and
inserts; when another writer took that seq first, the insert fails and the writer builds again on the new
head. Within a process, appends take turns (one lock per event loop): concurrent requests of one process
would otherwise all read the same head and all but one redo the work, which made 16 concurrent appends
in one process ~6 times slower than one at a time (tests/benchmarks/audit_append.py). Verification reads
in seq order, one batch at a time, so a chain of any length fits in memory.

Entries are keyed (hub.audit.chain, scheme 2) with the process's audit key, set once per process by
`configure_audit_key` when its clients are opened (hub.clients), so that `record` keeps its signature for
every caller. Without a configured key nothing is recorded: an unkeyed entry would be a forgeable one.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from pymongo.errors import BulkWriteError

from hub.audit.chain import CURRENT_SCHEME, GENESIS_HASH, AuditKey, entry_content, link_hash, normalise_change
from hub.audit.checkpoint import Checkpoint
from hub.audit.checks import ChainCheck, Fault
from hub.audit.models import AuditEntry
from hub.core.clock import storable_time, utcnow

MAX_ATTEMPTS = 50
BACKOFF_SECONDS = 0.005
MAX_BACKOFF_SECONDS = 0.1
VERIFY_BATCH = 1000
DUPLICATE_KEY = 11000


class AuditChainBusyError(RuntimeError):
    """Every attempt to append lost the race for the next seq."""


class AuditKeyMissingError(RuntimeError):
    """No audit key was configured in this process (see `configure_audit_key`)."""


_process_key: AuditKey | None = None
_append_locks: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = WeakKeyDictionary()


def configure_audit_key(secret: bytes) -> None:
    """Set the key this process links entries with (Settings.audit_chain_key); called when clients open."""
    global _process_key
    _process_key = AuditKey(secret)


def process_key() -> AuditKey:
    if _process_key is None:
        raise AuditKeyMissingError("no audit key configured in this process: open the clients first")
    return _process_key


async def _head() -> tuple[int, str]:
    """Seq and hash of the last entry, or (0, genesis hash) for an empty chain."""
    head = await AuditEntry.get_pymongo_collection().find_one(
        {}, sort=[("seq", -1)], projection={"seq": 1, "hash": 1}
    )
    if head is None:
        return 0, GENESIS_HASH
    return int(head["seq"]), str(head["hash"])


@dataclass(frozen=True)
class NewEntry:
    """What an append links: everything but seq and hashes. `pending_id`: the pending entry it comes from."""

    actor: str
    action: str
    target: str
    at: datetime
    change: dict[str, Any]
    pending_id: str | None = None
    region_path: list[str] | None = None  # of the record, not hashed (AuditEntry.region_path)


async def append_once(key: AuditKey, entries: Sequence[NewEntry]) -> tuple[list[dict[str, Any]], bool]:
    """One attempt to append `entries`, in order, after the head: (the raw entries inserted, whether all
    were). An ordered insert stops at the first refusal (the seq was taken meanwhile, or the pending entry
    was linked by another linker), so what was inserted is always a prefix that links on from the head."""
    last_seq, prev_hash = await _head()
    raws = []
    for offset, new in enumerate(entries, start=1):
        content = entry_content(
            seq=last_seq + offset,
            actor=new.actor,
            action=new.action,
            target=new.target,
            at=new.at,
            change=new.change,
            pending_id=new.pending_id,
        )
        raw: dict[str, Any] = {
            "seq": content["seq"],
            "actor": new.actor,
            "action": new.action,
            "target": new.target,
            "at": new.at,
            "change": new.change,
            "prev_hash": prev_hash,
            "hash": link_hash(CURRENT_SCHEME, key, prev_hash, content),
            "scheme": CURRENT_SCHEME,
        }
        if new.pending_id is not None:  # absent, not null: the unique index on it is sparse
            raw["pending_id"] = new.pending_id
        if new.region_path:
            raw["region_path"] = new.region_path
        raws.append(raw)
        prev_hash = raw["hash"]
    if not raws:
        return [], True
    try:
        await AuditEntry.get_pymongo_collection().insert_many(raws, ordered=True)
    except BulkWriteError as error:
        refused = error.details.get("writeErrors") or []
        if not refused or any(item.get("code") != DUPLICATE_KEY for item in refused):
            raise
        return raws[: int(refused[0]["index"])], False
    return raws, True


async def backoff(attempt: int) -> None:
    """Jittered, so that writers who lost together do not collide again in lockstep."""
    ceiling = min(MAX_BACKOFF_SECONDS, BACKOFF_SECONDS * (attempt + 1))
    await asyncio.sleep(random.uniform(0, ceiling))  # noqa: S311 - jitter, not a secret


async def record(actor: str, action: str, target: str, change: Mapping[str, Any]) -> AuditEntry:
    """Append one entry to the chain now and return it. `change` must be JSON-able (datetimes allowed).

    For events that change no document (a failed login): a change to a document records its entry in the
    same update instead (hub.audit.pending), so that no crash can separate the two."""
    # Normalised first so what is stored reads back exactly as hashed; bad values fail before any write.
    plain_change = normalise_change(change)
    key = process_key()
    at = storable_time(utcnow())
    async with _append_lock():
        return await _append(key, actor, action, target, at, plain_change)


async def _append(
    key: AuditKey, actor: str, action: str, target: str, at: datetime, plain_change: dict[str, Any]
) -> AuditEntry:
    """Appends one entry, building it again on the new head each time another writer took the seq."""
    new = NewEntry(actor, action, target, at, plain_change)
    for attempt in range(MAX_ATTEMPTS):
        inserted, _ = await append_once(key, [new])
        if inserted:
            entry: AuditEntry = AuditEntry.model_validate(inserted[0])
            return entry
        await backoff(attempt)
    raise AuditChainBusyError(f"could not append {action} on {target} after {MAX_ATTEMPTS} attempts")


def _append_lock() -> asyncio.Lock:
    """This event loop's lock (an asyncio lock serves one loop; tests and commands run several in turn)."""
    loop = asyncio.get_running_loop()
    lock = _append_locks.get(loop)
    if lock is None:
        lock = _append_locks[loop] = asyncio.Lock()
    return lock


@dataclass(frozen=True)
class VerifyResult:
    """`count` entries were checked (and `checkpoints` matched); when the chain is broken, the first fault.
    `head`: a checkpoint of the last entry checked, when the chain is sound and not empty."""

    count: int
    broken_seq: int | None = None
    broken_id: str | None = None
    problem: str | None = None
    checkpoints: int = 0
    head: Checkpoint | None = None
    first_seq: int = 1

    @property
    def ok(self) -> bool:
        return self.problem is None

    @classmethod
    def of(cls, check: ChainCheck, fault: Fault | None, at: datetime) -> VerifyResult:
        if fault is not None:
            return cls(check.count, fault.seq, fault.entry_id, fault.problem, check.matched)
        return cls(
            check.count, checkpoints=check.matched, head=check.checkpoint(at), first_seq=check.first_seq
        )

    def describe(self) -> str:
        if self.ok:
            since = f" from seq {self.first_seq}" if self.first_seq > 1 else ""
            matched = f", {self.checkpoints} checkpoints match" if self.checkpoints else ""
            return f"audit chain ok: {self.count} entries{since}{matched}"
        if self.broken_seq is None:
            return f"audit chain check failed: {self.problem}"
        where = f"seq {self.broken_seq}" + (f" (id {self.broken_id})" if self.broken_id else "")
        return f"audit chain broken at {where}: {self.problem}"


async def verify(
    progress: Callable[[int], None] | None = None,
    batch_size: int = VERIFY_BATCH,
    *,
    key: AuditKey | None = None,
    checkpoints: Iterable[Checkpoint] = (),
    resume: Checkpoint | None = None,
) -> VerifyResult:
    """Check the chain in seq order: no gaps from 1, each link, each scheme, each hash (with `key`, by default
    this process's), and each of `checkpoints`. Stops at the first fault. `resume`: check only from the entry
    this checkpoint names to the head (the entries before it were checked when it was written)."""
    key = key or process_key()
    check = ChainCheck.resume(key, resume) if resume else ChainCheck.full(key, checkpoints)
    collection = AuditEntry.get_pymongo_collection()
    # The first page of a full pass takes everything, so that entries with a malformed seq come first.
    query: dict[str, Any] = {"seq": {"$gte": resume.seq}} if resume else {}
    while True:
        # Keyset pages rather than one long cursor: no cursor timeout, and each page is a fresh query.
        batch = await collection.find(query, sort=[("seq", 1)], limit=batch_size).to_list()
        now = utcnow()
        if not batch:
            # A resumed pass that found nothing from its checkpoint on has not seen where the chain ends.
            head_seq = (await _head())[0] if resume and not check.count else None
            return VerifyResult.of(check, check.finish(head_seq), now)
        for raw in batch:
            fault = check.step(raw)
            if fault:
                return VerifyResult.of(check, fault, now)
        if progress:
            progress(len(batch))
        query = {"seq": {"$gt": check.last_seq}}
