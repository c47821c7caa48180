"""Restoring a backup into an empty stack: data, then objects, then the search indices rebuilt from the
restored MongoDB, then the audit chain verified.

The whole backup is verified first, so a wrongly keyed or tampered backup is refused before anything is
written. Each blob is authenticated again as it is restored (a file changed after the check still fails,
naming itself; restore again with --force once a good copy is in place).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import BinaryIO, cast

import anyio.to_thread

from hub.audit.anchor import read_checkpoints
from hub.audit.service import VerifyResult, process_key
from hub.audit.service import verify as verify_audit
from hub.backup.blobs import blob_plaintext
from hub.backup.create import NO_PROGRESS, Progress
from hub.backup.crypto import BackupKey
from hub.backup.errors import BackupError, BackupErrorCode
from hub.backup.manifest import Manifest
from hub.backup.records import insert_raw, split_records
from hub.backup.targets import IterReader, Target
from hub.backup.verify import read_segment, verify_backup
from hub.clients import Clients
from hub.inventory.state import data_collections

SearchRebuild = Callable[[Clients], Awaitable[str]]
"""Rebuilds every search index from MongoDB and says what it did; given by the composition root (hub.cli)."""


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    records: int
    objects: int
    search: str
    audit: str


async def _non_empty(clients: Clients, names: list[str]) -> list[str]:
    """What already holds data: collections with records, and the bucket with any object."""
    database = clients.mongo[clients.settings.mongo_database]
    found = [
        name for name in names if await database.get_collection(name).find_one({}, projection={"_id": 1})
    ]
    store = clients.store

    def bucket_has_objects() -> bool:
        if not store.client.bucket_exists(store.bucket):
            return False
        return next(iter(store.client.list_objects(store.bucket, recursive=True)), None) is not None

    if await anyio.to_thread.run_sync(bucket_has_objects):
        found.append(f"bucket {store.bucket}")
    return found


async def _restore_records(
    clients: Clients, target: Target, key: BackupKey, manifest: Manifest, progress: Progress
) -> int:
    database = clients.mongo[clients.settings.mongo_database]
    progress.phase("records", manifest.record_count)
    for name, part in manifest.collections.items():
        for segment in part.segments:
            data = await anyio.to_thread.run_sync(read_segment, target, key, segment)
            await insert_raw(database, name, split_records(data))
            progress.advance(segment.records)
    return manifest.record_count


async def _restore_objects(
    clients: Clients, target: Target, key: BackupKey, manifest: Manifest, progress: Progress
) -> int:
    store = clients.store
    await store.ensure_bucket()
    progress.phase("objects (bytes)", manifest.object_bytes)
    for entry in manifest.objects:
        reader = IterReader(blob_plaintext(target, key, entry))
        await store.put(entry.key, cast(BinaryIO, reader), entry.size, entry.content_type)
        progress.advance(entry.size)
    return len(manifest.objects)


async def _verify_audit(clients: Clients) -> VerifyResult:
    """The restored chain from its first entry, under this process's audit key, against every restored
    checkpoint; no checkpoint is written (the stack is to be exactly what the backup holds)."""
    key = process_key()
    checkpoints = await read_checkpoints(clients.store, key)
    if isinstance(checkpoints, VerifyResult):
        return checkpoints
    return await verify_audit(key=key, checkpoints=checkpoints)


async def restore_backup(
    clients: Clients,
    target: Target,
    key: BackupKey,
    backup_id: str,
    *,
    rebuild_search: SearchRebuild,
    force: bool = False,
    progress: Progress = NO_PROGRESS,
) -> RestoreReport:
    """Raises BackupError: the backup's problems (WRONG_KEY, TAMPERED, MISSING_FILE) before anything is
    written; NOT_EMPTY unless `force` (which empties the data collections first); AUDIT_BROKEN at the end."""
    occupied = await _non_empty(clients, data_collections())
    if occupied and not force:
        raise BackupError(
            BackupErrorCode.NOT_EMPTY,
            f"the target stack holds data ({', '.join(occupied)}); restore into an empty one, or pass "
            "--force "
            "to replace its records (objects at the same keys are overwritten, others are left)",
        )
    checked = await verify_backup(target, key, backup_id, progress)
    if checked.problems:
        first = checked.problems[0]
        more = f" (and {len(checked.problems) - 1} more problems)" if len(checked.problems) > 1 else ""
        raise BackupError(first.code, f"backup {backup_id} refused: {first.message}{more}", first.file)
    manifest = checked.manifest
    names = sorted(set(data_collections()) | set(manifest.collections))
    database = clients.mongo[clients.settings.mongo_database]
    for name in names:
        await database.get_collection(name).delete_many({})
    records = await _restore_records(clients, target, key, manifest, progress)
    objects = await _restore_objects(clients, target, key, manifest, progress)
    search = await rebuild_search(clients)
    audit = await _verify_audit(clients)
    if not audit.ok:
        raise BackupError(BackupErrorCode.AUDIT_BROKEN, f"restored, but {audit.describe()}")
    return RestoreReport(manifest, records, objects, search, audit.describe())
