"""Checkpoints of the chain's head kept in the object store, outside MongoDB, and checks against them.

Both entry points read every checkpoint under `audit-checkpoints/` first: one that does not open with this
key is itself a fault (someone wrote there who should not have, or the key changed). Then:
- `verify_anchored` checks the whole chain against all of them (`pantau audit verify`);
- `checkpoint_now` checks only from the latest checkpoint to the head (the periodic task,
  `pantau audit checkpoint`), which costs the entries written since.
After a sound pass, each signs the head it reached and writes it, unless no entry came since the latest
checkpoint. Nothing is signed after a fault: a checkpoint vouches only for a chain that was checked.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

import anyio.to_thread

from hub.audit.chain import AuditKey
from hub.audit.checkpoint import MAX_BYTES, PREFIX, Checkpoint, CheckpointError, seal, unseal
from hub.audit.service import VerifyResult, process_key, verify
from hub.storage import ObjectStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchoring:
    """The outcome of a pass: the chain's result, and the checkpoint written after it, if any."""

    result: VerifyResult
    written: Checkpoint | None = None

    def describe(self) -> str:
        if self.written is None:
            return self.result.describe()
        return f"{self.result.describe()}; checkpoint written at seq {self.written.seq}"


def _read_all(store: ObjectStore, key: AuditKey) -> list[Checkpoint] | VerifyResult:
    checkpoints = []
    for info in store.objects_sync(PREFIX):
        try:
            if info.size > MAX_BYTES:
                raise CheckpointError("too large")
            checkpoints.append(unseal(store.read_sync(info.key, MAX_BYTES), key))
        except (CheckpointError, ValueError) as error:
            return VerifyResult(0, problem=f"checkpoint {info.key} is not valid: {error}")
    return sorted(checkpoints, key=lambda checkpoint: checkpoint.seq)


async def read_checkpoints(store: ObjectStore, key: AuditKey) -> list[Checkpoint] | VerifyResult:
    """Every checkpoint in seq order, or a failed result naming the first one that does not open."""
    await store.ensure_bucket()
    return await anyio.to_thread.run_sync(lambda: _read_all(store, key))


async def write_checkpoint(store: ObjectStore, key: AuditKey, checkpoint: Checkpoint) -> None:
    data = seal(checkpoint, key)
    await store.put(checkpoint.object_key, io.BytesIO(data), len(data), "application/json")
    # A second copy of the statement, in the logs, which are shipped elsewhere again.
    log.info(
        "audit checkpoint written",
        extra={
            "audit_seq": checkpoint.seq,
            "audit_hash": checkpoint.hash,
            "object_key": checkpoint.object_key,
        },
    )


async def _sign_head(
    store: ObjectStore, key: AuditKey, result: VerifyResult, latest: Checkpoint | None
) -> Anchoring:
    if not result.ok:
        log.error("audit chain check failed: %s", result.describe(), extra={"audit_seq": result.broken_seq})
        return Anchoring(result)
    head = result.head
    if head is None or (latest is not None and head.seq <= latest.seq):
        return Anchoring(result)
    await write_checkpoint(store, key, head)
    return Anchoring(result, head)


async def verify_anchored(
    store: ObjectStore, *, key: AuditKey | None = None, progress: Callable[[int], None] | None = None
) -> Anchoring:
    """Check the whole chain against every checkpoint, then checkpoint its head."""
    key = key or process_key()
    checkpoints = await read_checkpoints(store, key)
    if isinstance(checkpoints, VerifyResult):
        return Anchoring(checkpoints)
    result = await verify(progress, key=key, checkpoints=checkpoints)
    return await _sign_head(store, key, result, checkpoints[-1] if checkpoints else None)


async def checkpoint_now(store: ObjectStore, *, key: AuditKey | None = None) -> Anchoring:
    """Check the chain from the latest checkpoint to the head (all of it when there is none), then
    checkpoint the head."""
    key = key or process_key()
    checkpoints = await read_checkpoints(store, key)
    if isinstance(checkpoints, VerifyResult):
        return Anchoring(checkpoints)
    latest = checkpoints[-1] if checkpoints else None
    result = await verify(key=key, resume=latest)
    return await _sign_head(store, key, result, latest)
