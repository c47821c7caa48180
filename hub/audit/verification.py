"""The audit chain's state for the API (`auditVerification`, admins), at a bounded cost: the latest signed
checkpoint in the object store, and a check of only the entries written since it.

A full pass (`pantau audit verify`) reads every entry and every checkpoint: fine for a command, too costly
for a request. Here the work is one listing of checkpoint names, one checkpoint read, one head read and at
most MAX_ENTRIES_CHECKED entries checked. When more entries than that were written since the latest
checkpoint (the periodic checkpoint task has not run for a long while), nothing is checked and the state
says so (UNCHECKED): run `pantau audit checkpoint`, which checks them and signs a new checkpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import anyio.to_thread

from hub.audit.chain import AuditKey
from hub.audit.checkpoint import MAX_BYTES, PREFIX, Checkpoint, CheckpointError, unseal
from hub.audit.models import AuditEntry
from hub.audit.service import process_key, verify
from hub.core.clock import utcnow
from hub.storage import ObjectStore

MAX_ENTRIES_CHECKED = 10_000


class ChainState(StrEnum):
    SOUND = "SOUND"
    BROKEN = "BROKEN"
    UNCHECKED = "UNCHECKED"


@dataclass(frozen=True)
class Verification:
    state: ChainState
    checked_at: datetime
    head_seq: int
    entries_checked: int = 0
    checkpoint: Checkpoint | None = None
    broken_seq: int | None = None
    problem: str | None = None


def _latest(store: ObjectStore, key: AuditKey) -> Checkpoint | str | None:
    """The checkpoint with the highest seq (names are zero-padded seqs), a problem, or None without one."""
    names = sorted(info.key for info in store.objects_sync(PREFIX) if info.key.endswith(".json"))
    if not names:
        return None
    try:
        return unseal(store.read_sync(names[-1], MAX_BYTES), key)
    except (CheckpointError, ValueError) as error:
        return f"checkpoint {names[-1]} is not valid: {error}"


async def _head_seq() -> int:
    head = await AuditEntry.get_pymongo_collection().find_one({}, sort=[("seq", -1)], projection={"seq": 1})
    return int(head["seq"]) if head else 0


async def verify_since_checkpoint(store: ObjectStore, *, limit: int = MAX_ENTRIES_CHECKED) -> Verification:
    """The chain from the latest checkpoint to the head, checked when that is at most `limit` entries."""
    key = process_key()
    await store.ensure_bucket()
    latest = await anyio.to_thread.run_sync(lambda: _latest(store, key))
    head = await _head_seq()
    if isinstance(latest, str):
        return Verification(ChainState.BROKEN, utcnow(), head, problem=latest)
    since = head - (latest.seq - 1 if latest else 0)
    if since > limit:
        return Verification(
            ChainState.UNCHECKED,
            utcnow(),
            head,
            checkpoint=latest,
            problem=f"{since} entries since the latest checkpoint, more than {limit}: "
            "run `pantau audit checkpoint`",
        )
    result = await verify(key=key, resume=latest)
    return Verification(
        ChainState.SOUND if result.ok else ChainState.BROKEN,
        utcnow(),
        head,
        entries_checked=result.count,
        checkpoint=latest,
        broken_seq=result.broken_seq,
        problem=None if result.ok else result.describe(),
    )
