"""Appending to the audit chain and checking it, without transactions.

The chain stays linear because `seq` is unique: a writer reads the head, builds the next entry on it and
inserts; when another writer took that seq first, the insert fails and the writer builds again on the new
head. Verification reads in seq order, one batch at a time, so a chain of any length fits in memory.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from hub.audit.chain import GENESIS_HASH, entry_content, entry_hash, normalise_change
from hub.audit.models import AuditEntry
from hub.core.clock import storable_time

MAX_ATTEMPTS = 50
BACKOFF_SECONDS = 0.005
MAX_BACKOFF_SECONDS = 0.1
VERIFY_BATCH = 1000


class AuditChainBusyError(RuntimeError):
    """Every attempt to append lost the race for the next seq."""


async def _head() -> tuple[int, str]:
    """Seq and hash of the last entry, or (0, genesis hash) for an empty chain."""
    head = await AuditEntry.get_pymongo_collection().find_one(
        {}, sort=[("seq", -1)], projection={"seq": 1, "hash": 1}
    )
    if head is None:
        return 0, GENESIS_HASH
    return int(head["seq"]), str(head["hash"])


async def record(actor: str, action: str, target: str, change: Mapping[str, Any]) -> AuditEntry:
    """Append one entry to the chain and return it. `change` must be JSON-able (datetimes allowed)."""
    # Normalised first so what is stored reads back exactly as hashed; bad values fail before any write.
    plain_change = normalise_change(change)
    at = storable_time(datetime.now(UTC))
    for attempt in range(MAX_ATTEMPTS):
        last_seq, prev_hash = await _head()
        seq = last_seq + 1
        content = entry_content(
            seq=seq, actor=actor, action=action, target=target, at=at, change=plain_change
        )
        entry = AuditEntry(
            seq=seq,
            actor=actor,
            action=action,
            target=target,
            at=at,
            change=plain_change,
            prev_hash=prev_hash,
            hash=entry_hash(prev_hash, content),
        )
        try:
            await entry.insert()
        except DuplicateKeyError:
            # Jittered so that writers who lost together do not collide again in lockstep.
            ceiling = min(MAX_BACKOFF_SECONDS, BACKOFF_SECONDS * (attempt + 1))
            await asyncio.sleep(random.uniform(0, ceiling))  # noqa: S311 - jitter, not a secret
            continue
        return entry
    raise AuditChainBusyError(f"could not append {action} on {target} after {MAX_ATTEMPTS} attempts")


@dataclass(frozen=True)
class VerifyResult:
    """`count` entries were checked; when the chain is broken, the first broken entry and what is wrong."""

    count: int
    broken_seq: int | None = None
    broken_id: str | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        if self.ok:
            return f"audit chain ok: {self.count} entries"
        return f"audit chain broken at seq {self.broken_seq} (id {self.broken_id}): {self.problem}"


def _check_hash(raw: Mapping[str, Any]) -> str | None:
    """Why the stored hash of `raw` is wrong, or None when it recomputes."""
    at, change = raw.get("at"), raw.get("change")
    texts = [raw.get(key) for key in ("actor", "action", "target", "prev_hash", "hash")]
    if not isinstance(at, datetime) or not isinstance(change, Mapping):
        return "malformed entry: `at` is not a date or `change` is not an object"
    if not all(isinstance(text, str) for text in texts):
        return "malformed entry: actor, action, target, prev_hash and hash must be strings"
    try:
        content = entry_content(
            seq=raw["seq"],
            actor=raw["actor"],
            action=raw["action"],
            target=raw["target"],
            at=at,
            change=change,
        )
        expected = entry_hash(raw["prev_hash"], content)
    except (TypeError, ValueError) as error:
        return f"malformed entry: {error}"
    return None if expected == raw["hash"] else "hash mismatch"


def _check_entry(raw: Mapping[str, Any], last_seq: int, last_hash: str) -> str | None:
    """What is wrong with `raw` as the successor of entry `last_seq`, or None."""
    seq = raw.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool):
        return f"malformed entry: seq {seq!r} is not an integer"
    if seq != last_seq + 1:
        return f"gap after {last_seq}" if seq > last_seq else f"seq repeats {last_seq}"
    if raw.get("prev_hash") != last_hash:
        return (
            "prev_hash is not the genesis hash" if seq == 1 else f"prev_hash does not match entry {last_seq}"
        )
    return _check_hash(raw)


async def verify(
    progress: Callable[[int], None] | None = None, batch_size: int = VERIFY_BATCH
) -> VerifyResult:
    """Check the whole chain in seq order: no gaps from 1, each link, each hash. Stops at the first fault."""
    collection = AuditEntry.get_pymongo_collection()
    count, last_seq, last_hash = 0, 0, GENESIS_HASH
    while True:
        # Keyset pages rather than one long cursor: no cursor timeout, and each page is a fresh query.
        query: dict[str, Any] = {"seq": {"$gt": last_seq}} if count else {}
        batch = await collection.find(query, sort=[("seq", 1)], limit=batch_size).to_list()
        if not batch:
            return VerifyResult(count=count)
        for raw in batch:
            problem = _check_entry(raw, last_seq, last_hash)
            if problem:
                return VerifyResult(count, raw.get("seq"), str(raw.get("_id")), problem)
            count, last_seq, last_hash = count + 1, raw["seq"], raw["hash"]
        if progress:
            progress(len(batch))
