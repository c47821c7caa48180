"""The audit chain against the real MongoDB-protocol server: appending, racing writers, tampering, the CLI.

All tests of a session share one chain. Tests that tamper restore the entry in a `finally`, so every other
test still sees an intact chain, and assertions name seqs this test wrote rather than absolute positions.
"""

from __future__ import annotations

import asyncio
import io
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from typing import Any

import pytest
from pymongo.asynchronous.collection import AsyncCollection

from hub.access.principal import Principal, PrincipalKind
from hub.access.roles import Role
from hub.access.scope import Scope
from hub.audit import service
from hub.audit.chain import GENESIS_HASH, entry_content, entry_hash, keyed_entry_hash
from hub.audit.models import AuditEntry
from hub.audit.service import process_key, record, verify
from hub.clients import Clients
from hub.dispatch import NoDispatch
from hub.documents.models import DocumentCategory
from hub.documents.upload import IncomingFile, upload_document
from hub.settings import Settings
from tests.processes import ROOT, settings_env

Raw = dict[str, Any]


def _collection() -> AsyncCollection[Raw]:
    return AuditEntry.get_pymongo_collection()


async def _record_some(count: int) -> list[AuditEntry]:
    marker = uuid.uuid4().hex[:8]
    return [
        await record(f"user:tester-{marker}", "test.step", f"Test:{marker}", {"step": step, "marker": marker})
        for step in range(count)
    ]


@asynccontextmanager
async def tampered(
    seq: int, tamper: Callable[[AsyncCollection[Raw], Raw], Awaitable[object]]
) -> AsyncIterator[Raw]:
    """Apply `tamper` to the stored entry `seq`, and put the original back whatever happens."""
    collection = _collection()
    original = await collection.find_one({"seq": seq})
    assert original is not None
    try:
        await tamper(collection, original)
        yield original
    finally:
        await collection.replace_one({"_id": original["_id"]}, original, upsert=True)
        assert (await verify()).ok, "the chain was not restored"


def test_entry_hash_changes_with_every_field() -> None:
    at = datetime(2026, 3, 1, 8, 30, 15, 123000, tzinfo=UTC)
    fields: dict[str, Any] = {
        "seq": 7,
        "actor": "user:siti",
        "action": "document.upload",
        "target": "Document:abc",
        "at": at,
        "change": {"region": "31.74", "size": 10, "tags": ["a", "b"]},
    }
    prev = "ab" * 32
    base = entry_hash(prev, entry_content(**fields))
    assert len(base) == 64
    assert int(base, 16) >= 0
    # Deterministic, and blind to key order.
    reordered = {**fields, "change": {"tags": ["a", "b"], "size": 10, "region": "31.74"}}
    assert entry_hash(prev, entry_content(**reordered)) == base

    variants: dict[str, Any] = {
        "seq": 8,
        "actor": "user:budi",
        "action": "document.delete",
        "target": "Document:abd",
        "at": at.replace(microsecond=124000),
        "change": {"region": "31.74", "size": 11, "tags": ["a", "b"]},
    }
    for name, value in variants.items():
        assert entry_hash(prev, entry_content(**{**fields, name: value})) != base, name
    assert entry_hash(GENESIS_HASH, entry_content(**fields)) != base
    # The same instant in another zone is the same content.
    wib = at.astimezone(timezone(timedelta(hours=7)))
    assert entry_hash(prev, entry_content(**{**fields, "at": wib})) == base


async def test_a_chain_of_entries_links_and_verifies(clients: Clients) -> None:
    entries = await _record_some(5)
    seqs = [entry.seq for entry in entries]
    assert seqs == list(range(seqs[0], seqs[0] + 5))
    for previous, entry in pairwise(entries):
        assert entry.prev_hash == previous.hash
    first = await _collection().find_one({"seq": 1})
    assert first is not None
    assert first["prev_hash"] == GENESIS_HASH

    done: list[int] = []
    result = await verify(progress=done.append, batch_size=2)  # several pages, one boundary at least
    assert result.ok, result.describe()
    assert result.count == seqs[-1] == sum(done)
    assert result.describe() == f"audit chain ok: {result.count} entries"


async def test_what_is_stored_reads_back_as_hashed(clients: Clients) -> None:
    change = {
        "when": datetime(2026, 5, 17, 9, 0, 0, 654321, tzinfo=UTC),
        "nested": {"z": 1.5, "a": [True, None, "Kecamatan Tebet — ok"]},
    }
    entry = await record("system", "test.round_trip", "Test:round-trip", change)
    assert entry.change["when"] == "2026-05-17T09:00:00.654321+00:00"
    stored = await AuditEntry.get(entry.id)
    assert stored is not None
    assert stored.at == entry.at
    assert stored.change == entry.change
    assert (await verify()).ok

    with pytest.raises(TypeError):
        await record("system", "test.bad", "Test:bad", {"value": object()})


async def test_concurrent_writers_make_one_gapless_chain(clients: Clients) -> None:
    marker = uuid.uuid4().hex[:8]
    entries = await asyncio.gather(
        *(record(f"user:racer-{n}", "test.race", f"Race:{marker}", {"n": n}) for n in range(20))
    )
    seqs = sorted(entry.seq for entry in entries)
    assert seqs == list(range(seqs[0], seqs[0] + 20))

    stored = await _collection().find({"target": f"Race:{marker}"}, sort=[("seq", 1)]).to_list()
    assert len(stored) == 20
    for previous, entry in pairwise(stored):
        assert entry["prev_hash"] == previous["hash"]
    result = await verify()
    assert result.ok, result.describe()
    assert result.count >= seqs[-1]


async def test_writers_that_lose_the_race_for_a_seq_append_after_the_winner(clients: Clients) -> None:
    # Appends of one process take turns (a lock); writers in different processes do not, and race for the
    # next seq. Calling the unlocked append concurrently is that race, within one test process.
    marker = uuid.uuid4().hex[:8]
    at = datetime.now(UTC).replace(microsecond=0)
    entries = await asyncio.gather(
        *(
            service._append(process_key(), f"user:process-{n}", "test.race", f"Race:{marker}", at, {"n": n})
            for n in range(8)
        )
    )
    seqs = sorted(entry.seq for entry in entries)
    assert seqs == list(range(seqs[0], seqs[0] + 8))
    assert len({entry.prev_hash for entry in entries}) == 8
    assert (await verify()).ok


async def test_an_altered_change_is_named(clients: Clients) -> None:
    entries = await _record_some(3)
    target = entries[1]

    async def alter(collection: AsyncCollection[Raw], raw: Raw) -> None:
        await collection.update_one({"_id": raw["_id"]}, {"$set": {"change.step": 99}})

    async with tampered(target.seq, alter):
        result = await verify()
        assert not result.ok
        assert (result.broken_seq, result.broken_id, result.problem) == (
            target.seq,
            str(target.id),
            "hash mismatch",
        )
        assert result.count == target.seq - 1
        assert f"seq {target.seq}" in result.describe()


async def test_a_rehashed_entry_breaks_the_next_link(clients: Clients) -> None:
    entries = await _record_some(3)
    target, following = entries[1], entries[2]

    async def rewrite(collection: AsyncCollection[Raw], raw: Raw) -> None:
        # A forger who recomputes the entry's own hash (even with the key) still cannot fix its successor's
        # prev_hash.
        change = {**raw["change"], "step": 99}
        content = entry_content(
            seq=raw["seq"],
            actor=raw["actor"],
            action=raw["action"],
            target=raw["target"],
            at=raw["at"],
            change=change,
        )
        forged = keyed_entry_hash(process_key(), raw["prev_hash"], content)
        await collection.update_one({"_id": raw["_id"]}, {"$set": {"change": change, "hash": forged}})

    async with tampered(target.seq, rewrite):
        result = await verify()
        assert (result.broken_seq, result.problem) == (
            following.seq,
            f"prev_hash does not match entry {target.seq}",
        )


async def test_a_deleted_entry_is_a_gap(clients: Clients) -> None:
    entries = await _record_some(3)
    target = entries[1]

    async def delete(collection: AsyncCollection[Raw], raw: Raw) -> None:
        await collection.delete_one({"_id": raw["_id"]})

    async with tampered(target.seq, delete):
        result = await verify()
        assert (result.broken_seq, result.broken_id, result.problem) == (
            entries[2].seq,
            str(entries[2].id),
            f"gap after {target.seq - 1}",
        )


async def test_an_altered_prev_hash_is_named(clients: Clients) -> None:
    entries = await _record_some(3)
    target = entries[1]

    async def relink(collection: AsyncCollection[Raw], raw: Raw) -> None:
        await collection.update_one({"_id": raw["_id"]}, {"$set": {"prev_hash": "f" * 64}})

    async with tampered(target.seq, relink):
        result = await verify()
        assert (result.broken_seq, result.problem) == (
            target.seq,
            f"prev_hash does not match entry {target.seq - 1}",
        )


async def test_an_upload_is_recorded_once(seeded: Clients) -> None:
    data = f"Notulen rapat Tim Pemantauan {uuid.uuid4()}".encode()
    siti = Principal(
        kind=PrincipalKind.USER,
        id=uuid.uuid4().hex,
        name="siti",
        scope=Scope.subtrees(["31"]),
        role=Role.OPERATOR,
        region_code="31",
        region_path=("31",),
    )

    async def upload() -> Any:
        return await upload_document(
            store=seeded.store,
            dispatcher=NoDispatch(),
            max_bytes=seeded.settings.max_upload_bytes,
            region_code="31.74",
            category=DocumentCategory.MINUTES,
            file=IncomingFile(name="notulen.txt", stream=io.BytesIO(data), size=len(data)),
            principal=siti,
        )

    first = await upload()
    assert first.created
    again = await upload()  # the same bytes: a dedupe hit changes nothing and records nothing
    assert not again.created

    target = f"Document:{first.document.id}"
    entries = await AuditEntry.find(AuditEntry.target == target).to_list()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.actor, entry.action) == ("user:siti", "document.upload")
    assert entry.change == {
        "region": "31.74",
        "category": "minutes",
        "file_name": "notulen.txt",
        "content_type": "text/plain",
        "sha256": first.document.sha256,
        "size": len(data),
    }
    assert (await verify()).ok


async def _run_cli(settings: Settings, *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "hub.cli",
        *args,
        cwd=ROOT,
        env=settings_env(settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace")


async def test_the_verify_command(clients: Clients, settings: Settings) -> None:
    entries = await _record_some(3)
    code, output = await _run_cli(settings, "audit", "verify")
    assert code == 0, output
    assert "audit chain ok" in output

    target = entries[1]

    async def alter(collection: AsyncCollection[Raw], raw: Raw) -> None:
        await collection.update_one({"_id": raw["_id"]}, {"$set": {"actor": "user:mallory"}})

    async with tampered(target.seq, alter):
        code, output = await _run_cli(settings, "audit", "verify")
        assert code == 1, output
        assert f"broken at seq {target.seq} (id {target.id}): hash mismatch" in output

    code, output = await _run_cli(settings, "audit", "verify", "--help")
    assert code == 0
    assert "names the first broken entry" in " ".join(output.split()), output
