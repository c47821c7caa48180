"""Database ids from client text: a malformed id is "no such record", never an exception."""

from __future__ import annotations

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
