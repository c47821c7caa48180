"""Reading a collection's records as raw BSON, in `_id` order: never decoded and re-encoded, so every type and
field order survives, and the same records always give the same bytes (and checksum)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument
from pymongo.asynchronous.database import AsyncDatabase

RAW = CodecOptions(document_class=RawBSONDocument, tz_aware=True)
PAGE = 1000

Database = AsyncDatabase[Any]


async def read_raw(database: Database, collection: str) -> AsyncIterator[RawBSONDocument]:
    """Every record of the collection in `_id` order; keyset pages, so no cursor outlives a page."""
    raw_collection = database.get_collection(collection, codec_options=RAW)
    last: object = None
    while True:
        query = {"_id": {"$gt": last}} if last is not None else {}
        page = await raw_collection.find(query, sort=[("_id", 1)], limit=PAGE).to_list()
        for record in page:
            yield record
        if len(page) < PAGE:
            return
        last = page[-1]["_id"]


async def collection_digest(database: Database, collection: str) -> tuple[int, str]:
    """(records, SHA-256 of their raw BSON in `_id` order): what a backup manifest records for it too."""
    digest = hashlib.sha256()
    count = 0
    async for record in read_raw(database, collection):
        digest.update(record.raw)
        count += 1
    return count, digest.hexdigest()
