"""Checkpoints of the audit chain in the object store: written, checked, and what they catch that the chain
alone cannot (a cut tail, a rewrite with the key, a whole chain rewritten unkeyed), against real services.

The chain and the checkpoint prefix are shared by the session: each test puts the chain back afterwards
(`restored_afterwards`), and removes the checkpoints it planted itself.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from hub.audit.anchor import checkpoint_now, read_checkpoints, verify_anchored
from hub.audit.chain import AuditKey
from hub.audit.checkpoint import PREFIX, Checkpoint, seal
from hub.audit.service import process_key
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.settings import Settings
from tests.test_audit_tamper import _record_some, _rewrite_plain, restored_afterwards
from workers.celery_app import create_celery

OTHER_KEY = AuditKey(b"not the key of this deployment, 32+ bytes")


async def _latest(clients: Clients) -> Checkpoint:
    checkpoints = await read_checkpoints(clients.store, process_key())
    assert isinstance(checkpoints, list), checkpoints
    assert checkpoints
    return checkpoints[-1]


async def test_a_checkpoint_is_written_only_when_the_head_moved(clients: Clients) -> None:
    entries = await _record_some(2)
    first = await checkpoint_now(clients.store)
    assert first.result.ok, first.describe()
    assert first.written is not None
    assert (first.written.seq, first.written.hash) == (entries[-1].seq, entries[-1].hash)
    assert await _latest(clients) == first.written
    assert first.describe().endswith(f"checkpoint written at seq {entries[-1].seq}")

    again = await checkpoint_now(clients.store)
    assert again.result.ok
    assert again.written is None  # nothing new since: the check covered only the checkpointed entry
    assert (again.result.count, again.result.first_seq) == (1, entries[-1].seq)

    more = await _record_some(3)
    third = await checkpoint_now(clients.store)
    assert third.written is not None
    assert third.written.seq == more[-1].seq
    assert third.result.count == 4  # the previous head and the three after it
    assert third.written.keyed_since == 1


async def test_a_cut_tail_is_named_and_not_checkpointed(clients: Clients) -> None:
    entries = await _record_some(4)
    assert (await checkpoint_now(clients.store)).written is not None
    async with restored_afterwards() as collection:
        cut = entries[1].seq
        await collection.delete_many({"seq": {"$gte": cut}})
        await _record_some(1)  # a new entry after the cut re-uses seq `cut`: still short of the checkpoint

        for outcome in (await verify_anchored(clients.store), await checkpoint_now(clients.store)):
            assert not outcome.result.ok
            assert outcome.written is None
            assert outcome.result.broken_seq == cut + 1
            assert outcome.result.problem is not None
            assert outcome.result.problem.startswith(f"truncated: the chain ends at seq {cut}")
            assert f"seq {entries[-1].seq}" in outcome.result.problem
        assert (await _latest(clients)).seq == entries[-1].seq


async def test_a_rewrite_with_the_key_is_caught_by_the_checkpoint(clients: Clients) -> None:
    entries = await _record_some(3)
    checkpointed = (await checkpoint_now(clients.store)).written
    assert checkpointed is not None
    async with restored_afterwards() as collection:
        # Someone holding the key re-links the chain from entries[0]: every hash recomputes, but the entry the
        # checkpoint names no longer has the hash it recorded.
        await _rewrite_plain(collection, entries[0].seq, {}, key=process_key())
        outcome = await verify_anchored(clients.store)
        assert not outcome.result.ok
        assert outcome.result.broken_seq == checkpointed.seq
        assert outcome.result.problem == f"rewritten: the hash differs from {checkpointed.describe()}"


async def test_a_whole_chain_rewritten_unkeyed_is_caught_by_the_checkpoint(clients: Clients) -> None:
    await _record_some(2)
    checkpointed = (await checkpoint_now(clients.store)).written
    assert checkpointed is not None
    assert checkpointed.keyed_since == 1
    async with restored_afterwards() as collection:
        # From seq 1 on, as scheme 1: no keyed entry is left to betray the downgrade, but the checkpoint is.
        await _rewrite_plain(collection, 1, {"scheme": 1})
        outcome = await verify_anchored(clients.store)
        assert not outcome.result.ok
        assert outcome.result.broken_seq == 1
        assert outcome.result.problem == (
            "downgrade: an unkeyed (scheme 1) entry where checkpoints record keyed entries from seq 1"
        )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("forged", seal(Checkpoint(10**9, "f" * 64, None, utcnow()), OTHER_KEY)),
        ("garbage", b"{not json"),
    ],
)
async def test_a_checkpoint_that_does_not_open_is_a_failure(clients: Clients, name: str, data: bytes) -> None:
    key = f"{PREFIX}zz-{name}.json"
    await clients.store.put(key, io.BytesIO(data), len(data), "application/json")
    try:
        for outcome in (await verify_anchored(clients.store), await checkpoint_now(clients.store)):
            assert not outcome.result.ok
            assert outcome.written is None
            assert outcome.result.broken_seq is None
            assert outcome.describe().startswith(f"audit chain check failed: checkpoint {key} is not valid")
    finally:
        await clients.store.remove(key)
    assert (await verify_anchored(clients.store)).result.ok


async def test_the_scheduler_checkpoints_every_five_minutes(settings: Settings) -> None:
    entry: dict[str, Any] = create_celery(settings).conf.beat_schedule["checkpoint-audit"]
    assert entry["task"] == "pantau.checkpoint_audit"
    assert entry["schedule"] == settings.audit_checkpoint_interval_seconds == 300
