"""Taking a backup: every data collection as sealed segments, every object its records reference as sealed
blobs, then the manifest.

Consistency without a snapshot (the development MongoDB has neither oplog, change streams nor snapshot
reads): the backup records its start as its point-in-time marker and reads every collection after it, in full.
Whatever was written before the marker is in this backup; a write during the run may or may not be, and is in
the next one, since each backup reads everything again (what makes it incremental is that unchanged segments
and objects are stored only once). The objects are taken from the document records as dumped, so every
record in the backup has its bytes (or a problem names the object). The audit chain is read in `_id` order,
which is its `seq` order as entries are appended: a prefix of the chain without gaps.

On a real MongoDB replica set a run could instead read every collection at one cluster time (a session with
`readConcern: snapshot` and `atClusterTime`, within `minSnapshotHistoryWindowInSeconds`), or follow a
`mongodump --oplog`-style tail of the oplog; the format here does not depend on which.
"""

from __future__ import annotations

import hashlib
import time
import zlib
from typing import Protocol

import anyio.to_thread

from hub.backup.blobs import copy_object, entry_for
from hub.backup.crypto import BackupKey, seal
from hub.backup.errors import BackupError, BackupErrorCode
from hub.backup.manifest import CollectionPart, Manifest, Segment, new_backup_id, write_manifest
from hub.backup.records import segments
from hub.backup.targets import Target
from hub.clients import Clients
from hub.core.clock import storable_time, utcnow
from hub.inventory.objects import ObjectRef, document_refs, documents_collection, prefixed_refs
from hub.inventory.state import data_collections

BLOBS_PREFIX = "blobs/"


class Progress(Protocol):
    def phase(self, name: str, total: int) -> None: ...

    def advance(self, amount: int) -> None: ...


class NoProgress:
    def phase(self, name: str, total: int) -> None:
        return None

    def advance(self, amount: int) -> None:
        return None


NO_PROGRESS = NoProgress()


def segment_blob_name(key: BackupKey, sha256: str) -> str:
    """Segments and objects share the blob namespace; the tag keeps equal bytes of the two kinds apart."""
    return key.blob_name(f"records:{sha256}")


class _Blobs:
    """What the target holds already (listed once, then kept up to date) and what this backup added."""

    def __init__(self, target: Target, key: BackupKey, manifest: Manifest, known: set[str]) -> None:
        self.target = target
        self.key = key
        self.stats = manifest.stats
        self.known = known

    async def put_segment(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        name = segment_blob_name(self.key, digest)
        if name in self.known:
            self._reused(len(data))
            return name
        compressed = zlib.compress(data, 6)
        written = await anyio.to_thread.run_sync(
            lambda: self.target.write(name, seal(self.key, name, [compressed]))
        )
        self._written(name, written)
        return name

    async def put_object(self, store_copy: ObjectRef, clients: Clients) -> None:
        name = self.key.blob_name(store_copy.sha256)
        if name in self.known:
            self._reused(store_copy.size)
            return
        written = await anyio.to_thread.run_sync(
            copy_object, clients.store, self.target, self.key, store_copy
        )
        self._written(name, written)

    def _reused(self, size: int) -> None:
        self.stats.blobs_reused += 1
        self.stats.bytes_reused += size

    def _written(self, name: str, size: int) -> None:
        self.known.add(name)
        self.stats.blobs_written += 1
        self.stats.bytes_written += size


async def _dump_collections(
    clients: Clients, blobs: _Blobs, manifest: Manifest, progress: Progress
) -> dict[str, ObjectRef]:
    """Every data collection into the manifest; the objects the dumped document records name."""
    database = clients.mongo[clients.settings.mongo_database]
    names = data_collections()
    total = 0
    for name in names:
        total += await database.get_collection(name).estimated_document_count()
    progress.phase("records", total)
    refs: dict[str, ObjectRef] = {}
    documents = documents_collection()
    for name in names:
        part = CollectionPart()
        digest = hashlib.sha256()
        async for segment in segments(database, name):
            data = b"".join(record.raw for record in segment)
            digest.update(data)
            blob = await blobs.put_segment(data)
            part.segments.append(
                Segment(
                    blob=blob, records=len(segment), bytes=len(data), sha256=hashlib.sha256(data).hexdigest()
                )
            )
            part.records += len(segment)
            if name == documents:
                for record in segment:
                    for ref in document_refs(record):
                        refs.setdefault(ref.key, ref)
            progress.advance(len(segment))
        part.sha256 = digest.hexdigest()
        manifest.collections[name] = part
    return refs


async def _copy_objects(
    clients: Clients, blobs: _Blobs, manifest: Manifest, refs: list[ObjectRef], progress: Progress
) -> None:
    progress.phase("objects (bytes)", sum(ref.size for ref in refs))
    for ref in refs:
        try:
            await blobs.put_object(ref, clients)
        except BackupError as error:
            if error.code not in (BackupErrorCode.MISSING_FILE, BackupErrorCode.MISMATCH):
                raise
            manifest.problems.append(error.message)  # the record is kept; its bytes could not be
        else:
            manifest.objects.append(entry_for(ref, blobs.key))
        progress.advance(ref.size)


async def create_backup(
    clients: Clients, target: Target, key: BackupKey, progress: Progress = NO_PROGRESS
) -> Manifest:
    """Takes a backup into `target` and returns its manifest (already written, last)."""
    clock = time.monotonic()
    started = storable_time(utcnow())
    settings = clients.settings
    manifest = Manifest(
        id=new_backup_id(started),
        key_id=key.key_id_hex,
        started_at=started,
        source={"database": settings.mongo_database, "bucket": settings.minio_bucket},
    )
    known = set(await anyio.to_thread.run_sync(target.names, BLOBS_PREFIX))
    blobs = _Blobs(target, key, manifest, known)
    refs = await _dump_collections(clients, blobs, manifest, progress)
    for ref in await anyio.to_thread.run_sync(prefixed_refs, clients.store):
        refs.setdefault(ref.key, ref)
    await _copy_objects(clients, blobs, manifest, list(refs.values()), progress)
    manifest.finished_at = storable_time(utcnow())
    manifest.stats.seconds = round(time.monotonic() - clock, 3)
    await anyio.to_thread.run_sync(write_manifest, target, key, manifest)
    return manifest
