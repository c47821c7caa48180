"""Signed checkpoints of the chain's head, free of I/O: what one says, how it is sealed and opened.

A checkpoint states "at `at`, the chain had entry `seq` with hash `hash`, keyed from `keyed_since`", signed
with the checkpoint key derived from the audit key. It is kept outside MongoDB (hub.audit.anchor), so that
cutting or rewriting the chain in the database contradicts a statement the database cannot change.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.audit.chain import AuditKey, canonical_json, iso_utc

PREFIX = "audit-checkpoints/"
FORMAT_VERSION = 1
FIELDS = frozenset({"version", "seq", "hash", "keyed_since", "at"})
MAX_BYTES = 4096  # a sealed checkpoint is ~300 bytes: anything much larger is not one of ours


class CheckpointError(ValueError):
    """Bytes that are not a checkpoint signed with this key."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    keyed_since: int | None
    at: datetime

    @property
    def object_key(self) -> str:
        """Zero-padded so that listing the prefix returns checkpoints in seq order."""
        return f"{PREFIX}{self.seq:012d}.json"

    def describe(self) -> str:
        return f"the checkpoint of {iso_utc(self.at)} (seq {self.seq}, hash {self.hash[:16]}…)"

    def _body(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "seq": self.seq,
            "hash": self.hash,
            "keyed_since": self.keyed_since,
            "at": iso_utc(self.at),
        }


def _mac(key: AuditKey, body: dict[str, Any]) -> str:
    return hmac.new(key.checkpoint, canonical_json(body).encode("utf-8"), "sha256").hexdigest()


def seal(checkpoint: Checkpoint, key: AuditKey) -> bytes:
    body = checkpoint._body()
    return canonical_json({**body, "mac": _mac(key, body)}).encode("utf-8")


def _int(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise CheckpointError(f"`{name}` is not a positive integer")
    return value


def unseal(data: bytes, key: AuditKey) -> Checkpoint:
    """The checkpoint in `data`, or CheckpointError when it is malformed or not signed with `key`."""
    if len(data) > MAX_BYTES:
        raise CheckpointError("too large")
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise CheckpointError("not JSON") from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("mac"), str):
        raise CheckpointError("no signature")
    body = {name: value for name, value in parsed.items() if name != "mac"}
    # The signature is checked before any field is trusted, in constant time.
    if not hmac.compare_digest(_mac(key, body), parsed["mac"]):
        raise CheckpointError("the signature does not match this audit key")
    if body.get("version") != FORMAT_VERSION or set(body) != FIELDS:
        raise CheckpointError(f"unknown checkpoint format {body.get('version')!r}")
    keyed_since = body["keyed_since"]
    try:
        at = datetime.fromisoformat(body["at"])
    except (TypeError, ValueError):
        raise CheckpointError("`at` is not an ISO time") from None
    if not isinstance(body["hash"], str):
        raise CheckpointError("`hash` is not a string")
    return Checkpoint(
        seq=_int(body["seq"], "seq"),
        hash=body["hash"],
        keyed_since=None if keyed_since is None else _int(keyed_since, "keyed_since"),
        at=at,
    )
