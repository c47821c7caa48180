"""Before and after values for an audit entry's `change`, bounded in size and never holding a secret.

The domain calls `before_after(before, after)` with the changed fields of a record as they were and as they
are now, and puts the result into the pending entry (`{"fields": [...], "before": {...}, "after": {...}}`).

- Secrets never go in: a field whose name is in SECRET_FIELDS (password and token hashes, tokens, nonces)
  is listed as changed but its values are replaced by SECRET_MARK. Callers need not remember to leave them
  out; leaving them out is still better.
- Bounded: each value's JSON is cut to MAX_VALUE_CHARS characters (the cut value is a string ending in
  `…`), and once the entry's values pass MAX_CHANGE_CHARS the remaining ones are replaced by TOO_LONG_MARK.
  The audit chain is read and hashed whole: one entry must not carry a report's every narrative at length.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from hub.audit.chain import canonical_json, iso_utc

SECRET_FIELDS = frozenset(
    {
        "password",
        "password_hash",
        "token",
        "token_hash",
        "current_token_hash",
        "previous_token_hashes",
        "refresh_token",
        "secret",
        "secret_nonce",
    }
)
SECRET_MARK = "[secret]"  # noqa: S105 - what replaces a secret, not one
TOO_LONG_MARK = "[left out: the entry is full]"
MAX_VALUE_CHARS = 1_000
MAX_CHANGE_CHARS = 8_000


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, Enum):
        return value.value
    return str(value)  # ids, decimals, dates: as their text


def bounded_value(value: Any) -> Any:
    """`value` as it goes into an entry: itself when its JSON is short, else the JSON text cut short."""
    text = canonical_json(json.loads(json.dumps(value, default=_plain, ensure_ascii=False)))
    if len(text) <= MAX_VALUE_CHARS:
        return json.loads(text)
    return f"{text[:MAX_VALUE_CHARS]}…"


def _flattened(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fields that are mappings on both sides (a report's narratives, indicator values) as `field.key`, so
    that an entry holds the keys that changed rather than the whole mapping twice."""
    olds, news = dict(before), dict(after)
    for name in set(before) & set(after):
        if isinstance(before[name], Mapping) and isinstance(after[name], Mapping):
            old, new = olds.pop(name), news.pop(name)
            olds.update({f"{name}.{key}": value for key, value in old.items()})
            news.update({f"{name}.{key}": value for key, value in new.items()})
    return olds, news


def before_after(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """`{"fields", "before", "after"}` for the fields whose values differ (or are in only one of the two),
    bounded and without secrets; mappings on both sides are compared key by key (`values.nphd_signed`).
    Values are JSON, datetimes as UTC ISO text, enums as their value, anything else as its text."""
    before, after = _flattened(before, after)
    names = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    olds: dict[str, Any] = {}
    news: dict[str, Any] = {}
    room = MAX_CHANGE_CHARS
    for name in names:
        if name in SECRET_FIELDS or name.partition(".")[0] in SECRET_FIELDS:
            olds[name] = news[name] = SECRET_MARK
            continue
        for side, into in ((before, olds), (after, news)):
            value = bounded_value(side.get(name))
            size = len(canonical_json(value))
            if size > room:
                into[name] = TOO_LONG_MARK
                continue
            into[name] = value
            room -= size
    return {"fields": names, "before": olds, "after": news}
