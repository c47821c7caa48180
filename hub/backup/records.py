"""A collection as segments of raw BSON records (hub.inventory.raw), and written back from them.

Records are read in `_id` order, one keyset page at a time. They are grouped into segments whose
boundaries depend on the records' ids (content-defined): a segment ends after a record whose id hashes to a
boundary, once the segment holds at least SEGMENT_MIN_BYTES. An insert, update or delete therefore changes
the segment it falls in (and rarely its neighbour) and leaves the others byte-identical, so they are stored
once across backups.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import bson
from bson.raw_bson import RawBSONDocument

from hub.inventory.raw import RAW, Database, read_raw

SEGMENT_MIN_BYTES = 1024 * 1024
SEGMENT_MAX_BYTES = 16 * 1024 * 1024
BOUNDARY_ONE_IN = 16
INSERT_BATCH = 500


def _at_boundary(record_id: object) -> bool:
    digest = hashlib.sha256(bson.encode({"_id": record_id})).digest()
    return digest[0] % BOUNDARY_ONE_IN == 0


async def segments(database: Database, collection: str) -> AsyncIterator[list[RawBSONDocument]]:
    """The collection's records, grouped into content-defined segments."""
    current: list[RawBSONDocument] = []
    size = 0
    async for record in read_raw(database, collection):
        current.append(record)
        size += len(record.raw)
        if size >= SEGMENT_MAX_BYTES or (size >= SEGMENT_MIN_BYTES and _at_boundary(record["_id"])):
            yield current
            current, size = [], 0
    if current:
        yield current


def split_records(data: bytes) -> list[RawBSONDocument]:
    """The records of a segment's bytes (each BSON document starts with its own length)."""
    records = []
    offset = 0
    while offset < len(data):
        length = int.from_bytes(data[offset : offset + 4], "little")
        if length < 5 or offset + length > len(data):
            raise ValueError(f"a record at byte {offset} runs past the end of the segment")
        records.append(RawBSONDocument(data[offset : offset + length], RAW))
        offset += length
    return records


async def insert_raw(database: Database, collection: str, records: list[RawBSONDocument]) -> None:
    raw_collection = database.get_collection(collection, codec_options=RAW)
    for start in range(0, len(records), INSERT_BATCH):
        await raw_collection.insert_many(records[start : start + INSERT_BATCH], ordered=True)
