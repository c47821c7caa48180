"""Load the shipped region tree into MongoDB, idempotently (upsert by code)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources

from pymongo import UpdateOne

from hub.regions.models import Region, RegionLevel
from hub.regions.services import forget_region_tree

DATA_FILE = "regions.csv"
ISLAND_FILE = "island_regions.csv"
CENTROID_FILE = "centroids.csv"


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


def read_island_codes() -> frozenset[str]:
    """Codes of the island regions in the shipped list (a heuristic for now: see data/SOURCE.md)."""
    text = resources.files("hub.regions").joinpath("data", ISLAND_FILE).read_text(encoding="utf-8")
    return frozenset(raw["code"] for raw in csv.DictReader(text.splitlines()))


def read_centroids() -> dict[str, tuple[float, float]]:
    """Code → (latitude, longitude): approximate centres for maps (see data/SOURCE.md)."""
    text = resources.files("hub.regions").joinpath("data", CENTROID_FILE).read_text(encoding="utf-8")
    return {
        raw["code"]: (float(raw["latitude"]), float(raw["longitude"]))
        for raw in csv.DictReader(text.splitlines())
    }


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


def _operations(
    row: RegionRow, ancestors: list[str], island: bool, centre: tuple[float, float] | None
) -> list[UpdateOne]:
    document = {
        "name": row.name,
        "level": row.level.value,
        "parent_code": row.parent_code,
        "ancestors": ancestors,
        "latitude": centre[0] if centre else None,
        "longitude": centre[1] if centre else None,
    }
    return [
        UpdateOne({"_id": row.code}, {"$set": document}, upsert=True),
        # The island flag follows the shipped list, except where an admin set it by hand.
        UpdateOne({"_id": row.code, "island_set_by": None}, {"$set": {"island": island}}),
    ]


async def seed_regions(progress: Callable[[int], None] | None = None, batch_size: int = 200) -> int:
    """Upsert every region; returns how many were written. Safe to run any number of times."""
    collection = Region.get_pymongo_collection()
    rows = read_rows()
    islands = read_island_codes()
    centroids = read_centroids()
    for name, codes in ((ISLAND_FILE, set(islands)), (CENTROID_FILE, set(centroids))):
        unknown = codes - {row.code for row in rows}
        if unknown:
            raise ValueError(f"{name} names unknown regions: {', '.join(sorted(unknown))}")
    operations: list[UpdateOne] = []
    pending = written = 0
    for row, ancestors in with_ancestors(rows):
        operations += _operations(row, ancestors, row.code in islands, centroids.get(row.code))
        pending += 1
        if pending >= batch_size:
            # Ordered: a new region exists before its island flag is set.
            await collection.bulk_write(operations, ordered=True)
            written += pending
            if progress:
                progress(pending)
            operations, pending = [], 0
    if operations:
        await collection.bulk_write(operations, ordered=True)
        written += pending
        if progress:
            progress(pending)
    await forget_region_tree()
    return written
