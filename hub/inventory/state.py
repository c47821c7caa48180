"""An inventory of the stack, and the reconciliation of two inventories.

- collections: per data collection, the record count and the SHA-256 of every record's raw BSON in `_id`
  order (any changed, added or removed record changes it);
- objects: every object the records reference, found in the store at its size (and, when `deep`, read back
  to its SHA-256), with a checksum over the sorted (key, SHA-256, size) triples;
- index: per search kind, the live records MongoDB says should be indexed against the entries the index
  holds, at their versions (computed by search.inventory).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

import anyio.to_thread
from minio.error import S3Error

from hub.inventory.objects import ObjectRef, prefixed_refs, referenced_refs
from hub.inventory.raw import Database, collection_digest
from hub.models import DATA_MODELS
from hub.storage import MISSING, ObjectStore

SHOWN = 5  # ids or keys named per problem; the counts say how many more


@dataclass(frozen=True)
class CollectionState:
    records: int
    sha256: str


@dataclass
class ObjectsState:
    referenced: int = 0
    bytes: int = 0
    sha256: str = ""
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)


@dataclass
class IndexState:
    """Live records of one kind (MongoDB) against the entries of its index."""

    expected: int = 0
    entries: int = 0
    sha256: str = ""  # of the sorted "id version" lines of the entries
    missing: list[str] = field(default_factory=list)  # live records without an entry
    stale: list[str] = field(default_factory=list)  # entries at a version below the record's
    ahead: list[str] = field(default_factory=list)  # entries at a version above the record's
    extra: list[str] = field(default_factory=list)  # entries without a live record
    # Of the ids above, those whose record is still marked `needs_index`: the sweep will bring them in line.
    marked: list[str] = field(default_factory=list)


@dataclass
class Inventory:
    collections: dict[str, CollectionState] = field(default_factory=dict)
    objects: ObjectsState = field(default_factory=ObjectsState)
    index: dict[str, IndexState] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Inventory:
        data = json.loads(text)
        return cls(
            collections={name: CollectionState(**state) for name, state in data["collections"].items()},
            objects=ObjectsState(**data["objects"]),
            index={name: IndexState(**state) for name, state in data.get("index", {}).items()},
        )

    def problems(self) -> list[str]:
        """What is wrong within this inventory alone: objects missing or changed, index entries off."""
        found = []
        if self.objects.missing:
            found.append(f"{len(self.objects.missing)} objects missing: {_some(self.objects.missing)}")
        if self.objects.mismatched:
            found.append(f"{len(self.objects.mismatched)} objects changed: {_some(self.objects.mismatched)}")
        for kind, state in self.index.items():
            for label, ids in (
                ("missing from", state.missing),
                ("stale in", state.stale),
                ("ahead of MongoDB in", state.ahead),
                ("extra in", state.extra),
            ):
                if ids:
                    found.append(f"{len(ids)} {kind} {label} the index: {_some(ids)}")
        return found


def _some(items: list[str]) -> str:
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return ", ".join(items[:SHOWN]) + more


def data_collections() -> list[str]:
    return [model.get_collection_name() for model in DATA_MODELS]


def objects_checksum(refs: Iterable[ObjectRef]) -> str:
    lines = sorted(f"{ref.key} {ref.sha256} {ref.size}" for ref in refs)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _stored_size(store: ObjectStore, key: str) -> int | None:
    try:
        return int(store.client.stat_object(store.bucket, key).size or 0)
    except S3Error as error:
        if error.code in MISSING:
            return None
        raise


def _check_object(store: ObjectStore, ref: ObjectRef, deep: bool) -> str | None:
    """None when the object is there as the record says; else "missing" or "changed"."""
    size = _stored_size(store, ref.key)
    if size is None:
        return "missing"
    if size != ref.size or (deep and store.sha256_sync(ref.key)[0] != ref.sha256):
        return "changed"
    return None


async def objects_state(database: Database, store: ObjectStore, *, deep: bool) -> ObjectsState:
    refs = [ref async for ref in referenced_refs(database)]
    refs += await anyio.to_thread.run_sync(prefixed_refs, store)
    state = ObjectsState(
        referenced=len(refs), bytes=sum(ref.size for ref in refs), sha256=objects_checksum(refs)
    )
    if not await anyio.to_thread.run_sync(store.client.bucket_exists, store.bucket):
        state.missing = [ref.key for ref in refs]
        return state
    for ref in refs:
        verdict = await anyio.to_thread.run_sync(_check_object, store, ref, deep)
        if verdict == "missing":
            state.missing.append(ref.key)
        elif verdict == "changed":
            state.mismatched.append(ref.key)
    return state


async def take_inventory(
    database: Database,
    store: ObjectStore,
    *,
    deep: bool = False,
    index: Mapping[str, IndexState] | None = None,
) -> Inventory:
    inventory = Inventory(index=dict(index or {}))
    for name in data_collections():
        records, digest = await collection_digest(database, name)
        inventory.collections[name] = CollectionState(records, digest)
    inventory.objects = await objects_state(database, store, deep=deep)
    return inventory


def differences(expected: Inventory, actual: Inventory) -> list[str]:
    """How `actual` differs from `expected`: collections, objects and (when both have it) the index."""
    found = []
    for name in sorted(set(expected.collections) | set(actual.collections)):
        want, have = expected.collections.get(name), actual.collections.get(name)
        if want is None or have is None:
            found.append(
                f"collection {name} only in the {'actual' if want is None else 'expected'} inventory"
            )
        elif want.records != have.records:
            found.append(f"collection {name}: {have.records} records, expected {want.records}")
        elif want.sha256 != have.sha256:
            found.append(f"collection {name}: {have.records} records as expected, but their content differs")
    if (expected.objects.referenced, expected.objects.sha256) != (
        actual.objects.referenced,
        actual.objects.sha256,
    ):
        found.append(
            f"objects: {actual.objects.referenced} referenced (checksum {actual.objects.sha256[:12]}), "
            "expected "
            f"{expected.objects.referenced} (checksum {expected.objects.sha256[:12]})"
        )
    for kind in sorted(set(expected.index) & set(actual.index)):
        want_index, have_index = expected.index[kind], actual.index[kind]
        if (want_index.entries, want_index.sha256) != (have_index.entries, have_index.sha256):
            found.append(
                f"index {kind}: {have_index.entries} entries, expected {want_index.entries} "
                "(or other versions)"
            )
    return found
