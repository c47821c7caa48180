"""The pure core of the audit chain, without services: hash schemes, the scheme order, checkpoints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hub.audit.chain import (
    GENESIS_HASH,
    SCHEME_KEYED,
    SCHEME_PLAIN,
    AuditKey,
    entry_content,
    entry_hash,
    keyed_entry_hash,
    link_hash,
)
from hub.audit.checkpoint import Checkpoint, CheckpointError, seal, unseal
from hub.audit.checks import ChainCheck, Fault

KEY = AuditKey(b"the audit key of these tests, 32+ bytes")
OTHER_KEY = AuditKey(b"another audit key, also 32 bytes long")
START = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def _chain(schemes: list[int | None], key: AuditKey = KEY) -> list[dict[str, Any]]:
    """Stored entries as MongoDB returns them; a None scheme is an entry from before schemes were numbered."""
    entries, prev_hash = [], GENESIS_HASH
    for index, scheme in enumerate(schemes):
        raw: dict[str, Any] = {
            "_id": f"id{index + 1}",
            "seq": index + 1,
            "actor": "user:siti",
            "action": "report.submit",
            "target": f"Report:{index}",
            "at": START + timedelta(minutes=index),
            "change": {"revision": index},
            "prev_hash": prev_hash,
        }
        content = entry_content(
            **{name: raw[name] for name in ("seq", "actor", "action", "target", "at", "change")}
        )
        raw["hash"] = link_hash(scheme or SCHEME_PLAIN, key, prev_hash, content)
        if scheme is not None:
            raw["scheme"] = scheme
        entries.append(raw)
        prev_hash = raw["hash"]
    return entries


def _run(check: ChainCheck, entries: list[dict[str, Any]]) -> Fault | None:
    for raw in entries:
        fault = check.step(raw)
        if fault:
            return fault
    return check.finish()


def test_keyed_hashes_depend_on_the_key_and_differ_from_plain_ones() -> None:
    content = _chain([None])[0]
    fields = entry_content(
        **{name: content[name] for name in ("seq", "actor", "action", "target", "at", "change")}
    )
    keyed = keyed_entry_hash(KEY, GENESIS_HASH, fields)
    assert len(keyed) == 64
    assert keyed == keyed_entry_hash(
        AuditKey(b"the audit key of these tests, 32+ bytes"), GENESIS_HASH, fields
    )
    assert keyed != keyed_entry_hash(OTHER_KEY, GENESIS_HASH, fields)
    assert keyed != entry_hash(GENESIS_HASH, fields)
    assert link_hash(SCHEME_KEYED, KEY, GENESIS_HASH, fields) == keyed
    assert link_hash(SCHEME_PLAIN, KEY, GENESIS_HASH, fields) == entry_hash(GENESIS_HASH, fields)
    with pytest.raises(ValueError, match="unknown hash scheme 3"):
        link_hash(3, KEY, GENESIS_HASH, fields)
    with pytest.raises(ValueError, match="at least 32 bytes"):
        AuditKey(b"short")
    assert "the audit key" not in repr(KEY)


def test_unkeyed_entries_verify_up_to_where_keyed_entries_start() -> None:
    entries = _chain([None, None, SCHEME_PLAIN, SCHEME_KEYED, SCHEME_KEYED])
    check = ChainCheck.full(KEY)
    assert _run(check, entries) is None
    assert (check.count, check.keyed_since, check.last_hash) == (5, 4, entries[-1]["hash"])
    head = check.checkpoint(START)
    assert head == Checkpoint(5, entries[-1]["hash"], 4, START)

    # The same keyed entries under another key do not verify: the first one is named.
    assert _run(ChainCheck.full(OTHER_KEY), entries) == Fault(4, "id4", "hash mismatch")


@pytest.mark.parametrize("unkeyed", [SCHEME_PLAIN, None])
def test_an_unkeyed_entry_after_a_keyed_one_is_a_downgrade(unkeyed: int | None) -> None:
    entries = _chain([SCHEME_PLAIN, SCHEME_KEYED, unkeyed])
    fault = _run(ChainCheck.full(KEY), entries)
    assert fault == Fault(3, "id3", "downgrade: an unkeyed (scheme 1) entry after keyed entries (from seq 2)")


@pytest.mark.parametrize("scheme", [3, 0, "2", True])
def test_an_unknown_scheme_is_malformed(scheme: object) -> None:
    entries = _chain([SCHEME_KEYED, SCHEME_KEYED])
    entries[1]["scheme"] = scheme
    fault = _run(ChainCheck.full(KEY), entries)
    assert fault == Fault(2, "id2", f"malformed entry: unknown hash scheme {scheme!r}")


def test_checkpoints_are_matched_and_a_short_chain_is_truncated() -> None:
    entries = _chain([SCHEME_KEYED] * 4)
    checkpoints = [Checkpoint(2, entries[1]["hash"], 1, START), Checkpoint(4, entries[3]["hash"], 1, START)]
    check = ChainCheck.full(KEY, reversed(checkpoints))
    assert _run(check, entries) is None
    assert check.matched == 2

    fault = _run(ChainCheck.full(KEY, checkpoints), entries[:3])
    assert fault is not None
    assert (fault.seq, fault.entry_id) == (4, None)
    assert (
        fault.problem == f"truncated: the chain ends at seq 3, but {checkpoints[1].describe()} records more"
    )

    # Resumed at the checkpoint of seq 2: only entries 2.. are read, and entry 2 must still carry its hash.
    resumed = ChainCheck.resume(KEY, checkpoints[0])
    assert _run(resumed, entries[1:]) is None
    assert (resumed.count, resumed.first_seq, resumed.keyed_since) == (3, 2, 1)
    other = _chain([SCHEME_KEYED] * 4, key=OTHER_KEY)
    assert _run(ChainCheck.resume(OTHER_KEY, checkpoints[0]), other[1:]) == Fault(
        2, "id2", f"rewritten: the hash differs from {checkpoints[0].describe()}"
    )


def test_a_checkpoint_opens_only_with_its_key_and_unaltered() -> None:
    checkpoint = Checkpoint(41, "ab" * 32, 7, START)
    sealed = seal(checkpoint, KEY)
    assert unseal(sealed, KEY) == checkpoint
    assert checkpoint.object_key == "audit-checkpoints/000000000041.json"

    with pytest.raises(CheckpointError, match="signature does not match"):
        unseal(sealed, OTHER_KEY)
    with pytest.raises(CheckpointError, match="signature does not match"):
        unseal(sealed.replace(b'"seq":41', b'"seq":42'), KEY)
    for garbage in (b"", b"[]", b'{"seq": 41}', b"\xff" * 10, b" " * 5000):
        with pytest.raises(CheckpointError):
            unseal(garbage, KEY)
