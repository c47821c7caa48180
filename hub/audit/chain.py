"""The hash chain itself, free of I/O: canonical content of an entry and the hash that links it.

Two hash schemes, numbered in each entry (`scheme`):
1. plain SHA-256 of the previous hash and the content: the entries written before keys came in. Anyone can
   recompute these, so they are only accepted before the first keyed entry (see hub.audit.checks).
2. HMAC-SHA256 under the audit key, which lives outside the database: without the key an entry cannot be
   altered, re-linked or appended so that it still verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
SCHEME_PLAIN = 1
SCHEME_KEYED = 2
CURRENT_SCHEME = SCHEME_KEYED
MIN_KEY_BYTES = 32


class AuditKey:
    """The audit secret, as the keys derived from it: one links entries, one signs checkpoints, one seals
    pending entries (hub.audit.pending), so a value made for one purpose is never valid for another."""

    __slots__ = ("checkpoint", "entry", "pending")

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_KEY_BYTES:
            raise ValueError(f"the audit key must be at least {MIN_KEY_BYTES} bytes")
        self.entry = hmac.digest(secret, b"pantau audit entry v2", "sha256")
        self.checkpoint = hmac.digest(secret, b"pantau audit checkpoint v1", "sha256")
        self.pending = hmac.digest(secret, b"pantau audit pending v1", "sha256")

    def __repr__(self) -> str:
        return "AuditKey(<secret>)"


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return iso_utc(value)
    raise TypeError(f"{type(value).__name__} is not JSON-able")


def canonical_json(value: Any) -> str:
    """One text for one value: sorted keys, no spaces, UTF-8 kept, datetimes as UTC ISO strings."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def normalise_change(change: Mapping[str, Any]) -> dict[str, Any]:
    """`change` as plain JSON values, so what is stored reads back exactly as it was hashed."""
    normalised: dict[str, Any] = json.loads(canonical_json(dict(change)))
    return normalised


def entry_content(
    *,
    seq: int,
    actor: str,
    action: str,
    target: str,
    at: datetime,
    change: Mapping[str, Any],
    pending_id: str | None = None,
) -> dict[str, Any]:
    """The hashed fields of an entry; `at` goes in as its ISO string. `pending_id` (the pending entry an
    entry was linked from, hub.audit.pending) is hashed when there is one; entries without one hash as
    they always did."""
    content = {
        "seq": seq,
        "actor": actor,
        "action": action,
        "target": target,
        "at": iso_utc(at),
        "change": dict(change),
    }
    if pending_id is not None:
        content["pending_id"] = pending_id
    return content


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """Scheme 1: sha256 hex of the previous hash and the canonical content, joined by a newline."""
    payload = f"{prev_hash}\n{canonical_json(dict(content))}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def keyed_entry_hash(key: AuditKey, prev_hash: str, content: Mapping[str, Any]) -> str:
    """Scheme 2: HMAC-SHA256 hex of the scheme number, the previous hash and the canonical content."""
    payload = f"{SCHEME_KEYED}\n{prev_hash}\n{canonical_json(dict(content))}"
    return hmac.new(key.entry, payload.encode("utf-8"), "sha256").hexdigest()


def link_hash(scheme: int, key: AuditKey, prev_hash: str, content: Mapping[str, Any]) -> str:
    """The hash of an entry under its scheme; ValueError for a scheme this code does not know."""
    if scheme == SCHEME_KEYED:
        return keyed_entry_hash(key, prev_hash, content)
    if scheme == SCHEME_PLAIN:
        return entry_hash(prev_hash, content)
    raise ValueError(f"unknown hash scheme {scheme!r}")
