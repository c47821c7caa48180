"""Bulk writes of generated records: insert what is missing, count what was there already, and hash what
was generated (the determinism check compares these digests)."""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import bson
import bson.errors
from beanie import Document
from beanie.odm.utils.dump import get_dict
from pymongo.errors import BulkWriteError

from hub.demo.files import DemoFile
from hub.storage import ObjectStore

DUPLICATE_KEY = 11000
# Salted password hashes differ from run to run; the digest leaves them out.
NOT_HASHED = frozenset({"password_hash"})


@dataclass
class Writer:
    """Buffers records per collection and writes them in batches (insert_many, unordered: a record that is
    there already, by id or by a unique key, is skipped and counted, never duplicated)."""

    batch: int
    generated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    inserted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _pending: dict[type[Document], list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    _digests: dict[str, Any] = field(default_factory=dict)

    async def add(self, records: list[Document]) -> None:
        for record in records:
            model = type(record)
            raw, encoded = _encoded(record)
            name = model.get_collection_name()
            digest = self._digests.setdefault(name, hashlib.sha256())
            digest.update(encoded)
            self.generated[name] += 1
            pending = self._pending[model]
            pending.append(raw)
            if len(pending) >= self.batch:
                await self._flush(model)

    async def flush(self) -> None:
        for model in list(self._pending):
            await self._flush(model)

    async def _flush(self, model: type[Document]) -> None:
        pending, self._pending[model] = self._pending[model], []
        if not pending:
            return
        name = model.get_collection_name()
        try:
            result = await model.get_pymongo_collection().insert_many(pending, ordered=False)
            self.inserted[name] += len(result.inserted_ids)
        except BulkWriteError as error:
            others = [item for item in error.details["writeErrors"] if item["code"] != DUPLICATE_KEY]
            if others:
                raise
            # Each record not written has its error (the stand-in server's nInserted counts them all).
            self.inserted[name] += len(pending) - len(error.details["writeErrors"])

    def digests(self) -> dict[str, str]:
        return {name: digest.hexdigest() for name, digest in sorted(self._digests.items())}

    def digest(self) -> str:
        combined = hashlib.sha256()
        for name, value in self.digests().items():
            combined.update(f"{name}:{value}\n".encode())
        return combined.hexdigest()


def _encoded(record: Document) -> tuple[dict[str, Any], bytes]:
    """The record as MongoDB stores it, and its BSON for the digest. Pydantic's dump is several times faster
    than beanie's encoder and the same for these models; beanie's is used where BSON needs a conversion (a
    `date`, in elections)."""
    raw = record.model_dump(by_alias=True)
    hashed = {key: value for key, value in raw.items() if key not in NOT_HASHED}
    try:
        return raw, bson.encode(hashed)
    except bson.errors.InvalidDocument:
        raw = get_dict(record, to_db=True)
        return raw, bson.encode({key: value for key, value in raw.items() if key not in NOT_HASHED})


@dataclass
class FileStore:
    """Puts each distinct file once (at its content-addressed key), skipping those already stored."""

    store: ObjectStore | None
    seen: set[str] = field(default_factory=set)
    stored: int = 0
    stored_bytes: int = 0

    async def put(self, key: str, file: DemoFile) -> None:
        if key in self.seen or self.store is None:
            return
        self.seen.add(key)
        if await self.store.exists(key):
            return
        await self.store.put(key, io.BytesIO(file.data), len(file.data), file.content_type)
        self.stored += 1
        self.stored_bytes += len(file.data)
