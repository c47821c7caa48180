"""What makes a stored chain sound, free of I/O: each entry against its predecessor, the order of hash
schemes, and the signed checkpoints. Entries are fed in seq order (`ChainCheck.step`), then `finish`.

Rules, in the order they are checked for each entry:
- seq is the previous seq + 1 (no gap, no repeat), prev_hash is the previous entry's hash;
- the scheme is one this code knows; a scheme-1 (unkeyed) entry after a keyed one, or at or after the seq
  from which a checkpoint says the chain was keyed, is a downgrade: anyone can compute scheme-1 hashes;
- the hash recomputes under the entry's scheme (keyed: with this key);
- where a checkpoint names this seq, the hash is the one it records (else: rewritten since);
and at the end, the chain reaches the highest seq any checkpoint records (else: truncated).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub.audit.chain import GENESIS_HASH, SCHEME_KEYED, SCHEME_PLAIN, AuditKey, entry_content, link_hash
from hub.audit.checkpoint import Checkpoint


@dataclass(frozen=True)
class Fault:
    """The first thing found wrong: at which seq (and entry id, when there is one) and what."""

    seq: int | None
    entry_id: str | None
    problem: str


def entry_scheme(raw: Mapping[str, Any]) -> int | None:
    """The entry's hash scheme: entries from before schemes were numbered are scheme 1; None if invalid."""
    scheme = raw.get("scheme", SCHEME_PLAIN)
    if isinstance(scheme, bool) or scheme not in (SCHEME_PLAIN, SCHEME_KEYED):
        return None
    return int(scheme)


def _hash_problem(raw: Mapping[str, Any], scheme: int, key: AuditKey) -> str | None:
    """Why the stored hash of `raw` is wrong, or None when it recomputes."""
    at, change = raw.get("at"), raw.get("change")
    texts = [raw.get(name) for name in ("actor", "action", "target", "prev_hash", "hash")]
    if not isinstance(at, datetime) or not isinstance(change, Mapping):
        return "malformed entry: `at` is not a date or `change` is not an object"
    if not all(isinstance(text, str) for text in texts):
        return "malformed entry: actor, action, target, prev_hash and hash must be strings"
    pending_id = raw.get("pending_id")
    if pending_id is not None and not isinstance(pending_id, str):
        return "malformed entry: pending_id must be a string"
    try:
        content = entry_content(
            seq=raw["seq"],
            actor=raw["actor"],
            action=raw["action"],
            target=raw["target"],
            at=at,
            change=change,
            pending_id=pending_id,
        )
        expected = link_hash(scheme, key, raw["prev_hash"], content)
    except (TypeError, ValueError) as error:
        return f"malformed entry: {error}"
    return None if expected == raw["hash"] else "hash mismatch"


@dataclass
class ChainCheck:
    """The state of one pass over the chain. `last_hash` None: trust the first entry's prev_hash (a pass
    that resumes at a checkpoint, whose predecessors were checked when the checkpoint was written)."""

    key: AuditKey
    checkpoints: list[Checkpoint] = field(default_factory=list)
    last_seq: int = 0
    last_hash: str | None = GENESIS_HASH
    keyed_since: int | None = None
    count: int = 0
    matched: int = 0

    def __post_init__(self) -> None:
        self.first_seq = self.last_seq + 1
        self.checkpoints = sorted(self.checkpoints, key=lambda checkpoint: checkpoint.seq)
        self._next = 0
        # The lowest seq any checkpoint says was keyed: an unkeyed entry from there on is a downgrade even
        # when every keyed entry before it was rewritten too.
        keyed = [checkpoint.keyed_since for checkpoint in self.checkpoints if checkpoint.keyed_since]
        self._keyed_from = min(keyed) if keyed else None

    @classmethod
    def full(cls, key: AuditKey, checkpoints: Iterable[Checkpoint] = ()) -> ChainCheck:
        """A pass from seq 1, checking every checkpoint given."""
        return cls(key, list(checkpoints))

    @classmethod
    def resume(cls, key: AuditKey, checkpoint: Checkpoint) -> ChainCheck:
        """A pass from the entry a checkpoint names (which must still carry its hash) to the head."""
        return cls(key, [checkpoint], checkpoint.seq - 1, None, checkpoint.keyed_since)

    def step(self, raw: Mapping[str, Any]) -> Fault | None:
        """Check the next entry in seq order; on success it becomes the last one."""
        problem = self._problem(raw)
        if problem:
            return Fault(raw.get("seq"), str(raw.get("_id")), problem)
        seq, scheme = raw["seq"], raw.get("scheme", SCHEME_PLAIN)
        if scheme == SCHEME_KEYED and self.keyed_since is None:
            self.keyed_since = seq
        self.count, self.last_seq, self.last_hash = self.count + 1, seq, raw["hash"]
        return None

    def finish(self, head_seq: int | None = None) -> Fault | None:
        """After the last entry: does the chain reach every checkpoint? `head_seq`: where the chain ends,
        when this pass saw none of it (a resumed pass that found nothing from its checkpoint on)."""
        beyond = self.checkpoints[self._next :]
        if not beyond:
            return None
        end = self.last_seq if head_seq is None else head_seq
        problem = f"truncated: the chain ends at seq {end}, but {beyond[-1].describe()} records more"
        return Fault(end + 1, None, problem)

    def checkpoint(self, at: datetime) -> Checkpoint | None:
        """A checkpoint of what this pass checked, or None for an empty chain."""
        if self.last_seq < 1 or self.last_hash is None:
            return None
        return Checkpoint(self.last_seq, self.last_hash, self.keyed_since, at)

    def _problem(self, raw: Mapping[str, Any]) -> str | None:
        seq = raw.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            return f"malformed entry: seq {seq!r} is not an integer"
        if seq != self.last_seq + 1:
            return f"gap after {self.last_seq}" if seq > self.last_seq else f"seq repeats {self.last_seq}"
        if self.last_hash is not None and raw.get("prev_hash") != self.last_hash:
            if seq == 1:
                return "prev_hash is not the genesis hash"
            return f"prev_hash does not match entry {self.last_seq}"
        scheme = entry_scheme(raw)
        if scheme is None:
            return f"malformed entry: unknown hash scheme {raw.get('scheme')!r}"
        if scheme == SCHEME_PLAIN and self.keyed_since is not None:
            return f"downgrade: an unkeyed (scheme 1) entry after keyed entries (from seq {self.keyed_since})"
        if scheme == SCHEME_PLAIN and self._keyed_from is not None and seq >= self._keyed_from:
            return (
                "downgrade: an unkeyed (scheme 1) entry where checkpoints record keyed entries "
                f"from seq {self._keyed_from}"
            )
        return _hash_problem(raw, scheme, self.key) or self._checkpoint_problem(seq, raw["hash"])

    def _checkpoint_problem(self, seq: int, stored_hash: str) -> str | None:
        # Entries come one seq at a time, so every checkpoint is met at its own seq (several may name it).
        while self._next < len(self.checkpoints) and self.checkpoints[self._next].seq == seq:
            checkpoint = self.checkpoints[self._next]
            if checkpoint.hash != stored_hash:
                return f"rewritten: the hash differs from {checkpoint.describe()}"
            self.matched += 1
            self._next += 1
        return None
