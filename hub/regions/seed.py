"""Load the shipped region tree into MongoDB, idempotently (upsert by code)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources

from pymongo import UpdateOne

from hub.regions.models import Region, RegionLevel

DATA_FILE = "regions.csv"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None


def read_rows() -> list[RegionRow]:
    """The shipped data file (see hub/regions/data/SOURCE.md), parents before children."""
    text = resources.files("hub.regions").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    rows = [
        RegionRow(
            code=raw["code"],
            name=raw["name"],
            level=RegionLevel(raw["level"]),
            parent_code=raw["parent_code"] or None,
        )
        for raw in csv.DictReader(text.splitlines())
    ]
    return rows


def with_ancestors(rows: list[RegionRow]) -> Iterator[tuple[RegionRow, list[str]]]:
    """Each row with its ancestor codes, root first; fails on a dangling parent."""
    by_code = {row.code: row for row in rows}
    for row in rows:
        chain: list[str] = []
        parent = row.parent_code
        while parent is not None:
            if parent not in by_code:
                raise ValueError(f"region {row.code} names unknown parent {parent}")
            chain.append(parent)
            parent = by_code[parent].parent_code
        yield row, list(reversed(chain))


async def seed_regions(progress: Callable[[int], None] | None = None, batch_size: int = 200) -> int:
    """Upsert every region; returns how many were written. Safe to run any number of times."""
    collection = Region.get_pymongo_collection()
    operations: list[UpdateOne] = []
    written = 0
    for row, ancestors in with_ancestors(read_rows()):
        document = {
            "name": row.name,
            "level": row.level.value,
            "parent_code": row.parent_code,
            "ancestors": ancestors,
        }
        operations.append(UpdateOne({"_id": row.code}, {"$set": document}, upsert=True))
        if len(operations) >= batch_size:
            await collection.bulk_write(operations, ordered=False)
            written += len(operations)
            if progress:
                progress(len(operations))
            operations = []
    if operations:
        await collection.bulk_write(operations, ordered=False)
        written += len(operations)
        if progress:
            progress(len(operations))
    return written
