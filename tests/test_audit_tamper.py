"""Tampering with the audit chain by someone who can write to MongoDB: rewrites with recomputed hashes (plain
SHA-256, a wrong key, a downgrade to the unkeyed scheme) and a cut tail, each caught and named by seq.

All tests of a session share one chain: each test snapshots the whole collection and puts it back in a
`finally`, so the other tests still see an intact chain.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from hub.audit.chain import GENESIS_HASH, AuditKey, entry_content, entry_hash, keyed_entry_hash
from hub.audit.models import AuditEntry
from hub.audit.service import record, verify
from hub.clients import Clients
from hub.settings import Settings
from tests.test_audit import _run_cli

Raw = dict[str, Any]


def _collection() -> AsyncCollection[Raw]:
    return AuditEntry.get_pymongo_collection()


async def _record_some(count: int) -> list[AuditEntry]:
    marker = uuid.uuid4().hex[:8]
    return [
        await record(f"user:tester-{marker}", "test.step", f"Test:{marker}", {"step": step})
        for step in range(count)
    ]


@asynccontextmanager
async def restored_afterwards() -> AsyncIterator[AsyncCollection[Raw]]:
    """The audit collection, put back exactly as it was whatever the test does to it."""
    collection = _collection()
    saved = await collection.find({}, sort=[("seq", 1)]).to_list()
    try:
        yield collection
    finally:
        await collection.delete_many({})
        if saved:
            await collection.insert_many(saved)
        assert (await verify()).ok, "the chain was not restored"


def _content(raw: Raw, change: dict[str, Any]) -> dict[str, Any]:
    return entry_content(
        seq=raw["seq"],
        actor=raw["actor"],
        action=raw["action"],
        target=raw["target"],
        at=raw["at"],
        change=change,
    )


async def _rewrite_plain(
    collection: AsyncCollection[Raw], from_seq: int, extra: dict[str, Any], key: AuditKey | None = None
) -> None:
    """Alter entry `from_seq` and re-link it and every later entry with recomputed hashes: plain SHA-256, as
    anyone with database access can, or keyed with `key`; `extra` is set on each rewritten entry too."""
    before = await collection.find_one({"seq": from_seq - 1})
    prev_hash = before["hash"] if before else GENESIS_HASH
    for raw in await collection.find({"seq": {"$gte": from_seq}}, sort=[("seq", 1)]).to_list():
        change = {**raw["change"], "forged": True} if raw["seq"] == from_seq else raw["change"]
        content = _content(raw, change)
        forged = keyed_entry_hash(key, prev_hash, content) if key else entry_hash(prev_hash, content)
        update = {"change": change, "prev_hash": prev_hash, "hash": forged, **extra}
        await collection.update_one({"_id": raw["_id"]}, {"$set": update})
        prev_hash = forged


async def test_a_rewrite_with_recomputed_sha256_hashes_is_caught(clients: Clients) -> None:
    entries = await _record_some(3)
    target = entries[1]
    async with restored_afterwards() as collection:
        await _rewrite_plain(collection, target.seq, {})
        result = await verify()
        assert (result.ok, result.broken_seq, result.problem) == (False, target.seq, "hash mismatch")


async def test_a_rewrite_with_the_wrong_key_is_caught(clients: Clients) -> None:
    entries = await _record_some(3)
    target = entries[1]
    async with restored_afterwards() as collection:
        await _rewrite_plain(
            collection, target.seq, {}, key=AuditKey(b"a guess at the key, 32 bytes or more")
        )
        result = await verify()
        assert (result.ok, result.broken_seq, result.problem) == (False, target.seq, "hash mismatch")


async def test_a_downgrade_to_the_unkeyed_scheme_is_caught(clients: Clients) -> None:
    entries = await _record_some(3)
    target = entries[1]
    async with restored_afterwards() as collection:
        # Relabelled as scheme 1, whose plain SHA-256 hashes anyone can compute: refused after keyed entries.
        await _rewrite_plain(collection, target.seq, {"scheme": 1})
        result = await verify()
        assert not result.ok
        assert result.broken_seq == target.seq
        assert result.problem is not None
        assert result.problem.startswith("downgrade"), result.problem


async def test_cutting_the_tail_after_a_checkpoint_is_caught_by_the_cli(
    clients: Clients, settings: Settings
) -> None:
    entries = await _record_some(4)
    code, output = await _run_cli(settings, "audit", "checkpoint")
    assert code == 0, output
    assert f"seq {entries[-1].seq}" in output, output

    async with restored_afterwards() as collection:
        cut = entries[2].seq
        await collection.delete_many({"seq": {"$gte": cut}})
        assert (await verify()).ok  # what is left is a sound chain on its own: only the checkpoint tells

        code, output = await _run_cli(settings, "audit", "verify")
        assert code == 1, output
        assert f"broken at seq {cut}" in output, output
        assert "truncated" in output, output
        assert f"seq {entries[-1].seq}" in output, output


async def test_the_cli_names_the_seq_of_a_downgrade(clients: Clients, settings: Settings) -> None:
    entries = await _record_some(2)
    target = entries[1]
    async with restored_afterwards() as collection:
        await _rewrite_plain(collection, target.seq, {"scheme": 1})
        code, output = await _run_cli(settings, "audit", "verify")
        assert code == 1, output
        assert f"broken at seq {target.seq}" in output, output
        assert "downgrade" in output, output
