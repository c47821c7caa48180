"""Retention: keep the newest backups, delete the older manifests, then every blob no kept manifest names
(and leftovers of interrupted runs). Runs under the backup lease, so no backup is choosing to reuse a blob
while it goes."""

from __future__ import annotations

from dataclasses import dataclass

from hub.backup.crypto import BackupKey
from hub.backup.manifest import backup_ids, manifest_name, read_manifest
from hub.backup.targets import Target

BLOBS_PREFIX = "blobs/"


@dataclass(frozen=True)
class PruneResult:
    kept: list[str]
    removed: list[str]
    blobs_removed: int
    bytes_freed: int


def prune(target: Target, key: BackupKey, keep: int) -> PruneResult:
    """Synchronous (run it in a thread). The kept manifests are read (and authenticated) before anything is
    deleted: with the wrong key, or a damaged manifest, nothing is."""
    ids = backup_ids(target)
    kept, removed = ids[-keep:], ids[:-keep] if len(ids) > keep else []
    wanted: set[str] = set()
    for backup_id in kept:
        wanted |= read_manifest(target, key, backup_id).blobs()
    for backup_id in removed:
        target.remove(manifest_name(backup_id))
    freed = 0
    blobs_removed = 0
    for name, size in target.sizes(BLOBS_PREFIX).items():
        if name not in wanted:
            target.remove(name)
            blobs_removed += 1
            freed += size
    return PruneResult(kept, removed, blobs_removed, freed)
