"""Columns of an export: each names the API field (`Type.field`) its values repeat, so that a reader gets only
the columns it may read (hub.access.visibility: every column for staff, a grant's fields for a partner), and
rows are read in batches by `_id` so that memory stays flat whatever the number of rows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from beanie import Document

from hub.access.scope import Scope
from hub.access.visibility import allows
from hub.exports.formats import Row

BATCH = 500
T = TypeVar("T", bound=Document)


@dataclass(frozen=True)
class Column:
    header: str
    field: str | None  # the API field it repeats; None: the record's id, its region (open to every reader)


@dataclass(frozen=True)
class Export:
    name: str
    header: list[str]
    rows: AsyncIterator[Row]


def readable(scope: Scope, columns: Sequence[Column]) -> list[Column]:
    return [column for column in columns if column.field is None or allows(scope, column.field)]


def select(columns: Sequence[Column], values: Mapping[str, Any]) -> Row:
    """One row: the values of the readable columns, in their order."""
    return [values.get(column.header) for column in columns]


async def batches(model: type[T], criteria: dict[str, Any], batch: int = BATCH) -> AsyncIterator[list[T]]:
    """Every matching record, `batch` at a time in `_id` order: one query per batch, never all at once."""
    after = None
    while True:
        page_criteria = {"$and": [criteria, {"_id": {"$gt": after}}]} if after else criteria
        found = await model.find(page_criteria).sort("_id").limit(batch).to_list()
        if not found:
            return
        yield found
        after = found[-1].id


def export_of(
    name: str,
    columns: Sequence[Column],
    scope: Scope,
    produce: Callable[[list[Column]], AsyncIterator[Row]],
) -> Export:
    shown = readable(scope, columns)
    return Export(name, [column.header for column in shown], produce(shown))
