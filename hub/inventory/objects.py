"""Which objects of the object store the data consists of, and what each must be.

Every version of every document record (trashed ones too: restorable until purged) names its object key,
size and SHA-256. Other parts of the hub keep objects no record points at under fixed prefixes; those are
listed and hashed when asked for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from bson.raw_bson import RawBSONDocument
from pymongo.asynchronous.database import AsyncDatabase

from hub.audit.checkpoint import PREFIX as CHECKPOINT_PREFIX
from hub.documents.models import StoredDocument
from hub.inventory.raw import read_raw
from hub.storage import ObjectStore

# Objects no record points at, by prefix, with their content type: the signed audit checkpoints.
EXTRA_PREFIXES = {CHECKPOINT_PREFIX: "application/json"}
UNKNOWN_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class ObjectRef:
    key: str
    sha256: str
    size: int
    content_type: str


def document_refs(record: RawBSONDocument) -> list[ObjectRef]:
    """The objects of a `documents` record: the current version, every earlier one, and the derivatives
    (thumbnails) of a photo."""
    versions = [
        record,
        *record.get("previous_versions", []),
        *(record.get("media") or {}).get("derivatives", []),
    ]
    return [
        ObjectRef(
            key=str(version["object_key"]),
            sha256=str(version["sha256"]),
            size=int(version["size"]),
            content_type=str(version.get("content_type") or UNKNOWN_TYPE),
        )
        for version in versions
    ]


def documents_collection() -> str:
    return StoredDocument.get_collection_name()


def prefixed_refs(store: ObjectStore) -> list[ObjectRef]:
    """The objects under EXTRA_PREFIXES, hashed now (nothing records their checksum). Synchronous."""
    refs: list[ObjectRef] = []
    if not store.client.bucket_exists(store.bucket):
        return refs
    for prefix, content_type in EXTRA_PREFIXES.items():
        for info in store.objects_sync(prefix):
            digest, size = store.sha256_sync(info.key, etag=info.etag or None)
            refs.append(ObjectRef(info.key, digest, size, content_type))
    return refs


async def referenced_refs(database: AsyncDatabase[Any]) -> AsyncIterator[ObjectRef]:
    """The objects the document records name, each key once."""
    seen: set[str] = set()
    async for record in read_raw(database, documents_collection()):
        for ref in document_refs(record):
            if ref.key not in seen:
                seen.add(ref.key)
                yield ref
