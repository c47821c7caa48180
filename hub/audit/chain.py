"""The hash chain itself, free of I/O: canonical content of an entry and the hash that links it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


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
    *, seq: int, actor: str, action: str, target: str, at: datetime, change: Mapping[str, Any]
) -> dict[str, Any]:
    """The hashed fields of an entry; `at` goes in as its ISO string."""
    return {
        "seq": seq,
        "actor": actor,
        "action": action,
        "target": target,
        "at": iso_utc(at),
        "change": dict(change),
    }


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """sha256 hex of the previous hash and the canonical content, joined by a newline."""
    payload = f"{prev_hash}\n{canonical_json(dict(content))}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
