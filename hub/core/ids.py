"""Database ids from client text: a malformed id is "no such record", never an exception. And the API's
global id of a record, for what answers outside GraphQL (exports) to name records as `node` does."""

from __future__ import annotations

import base64
from collections.abc import Iterable

from beanie import PydanticObjectId
from bson.errors import InvalidId


def object_id(value: object) -> PydanticObjectId | None:
    """The ObjectId written in `value`, or None when it is not one."""
    if isinstance(value, PydanticObjectId):
        return value
    try:
        return PydanticObjectId(value)  # type: ignore[arg-type]  # anything else is refused below
    except (InvalidId, TypeError, ValueError):
        return None


def object_ids(values: Iterable[object]) -> list[PydanticObjectId]:
    """The well-formed ids among `values`, in order, each once; malformed ones are left out."""
    found: dict[PydanticObjectId, None] = {}
    for value in values:
        oid = object_id(value)
        if oid is not None:
            found[oid] = None
    return list(found)


def global_id(type_name: str, raw: object) -> str:
    """The API's global id of a record (Relay's: base64 of `Type:id`), exactly as `node` accepts it."""
    return base64.b64encode(f"{type_name}:{raw}".encode()).decode()


def from_global_id(value: str) -> tuple[str, str] | None:
    """(type, raw id) of a global id; None when `value` is not one."""
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    type_name, separator, raw = decoded.partition(":")
    return (type_name, raw) if separator and type_name and raw else None


def region_code_of(value: str) -> str:
    """A region as arguments name it: its code, or the code in a Region's global id."""
    if value[:1].isdigit() or value == "ID":
        return value
    found = from_global_id(value)
    return found[1] if found is not None and found[0] == "Region" else value
