"""Checking a backup against its manifest without restoring it: the manifest's seal, then every blob it
names, opened (each chunk authenticated) and compared with the counts and checksums the manifest gives."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field

import anyio.to_thread

from hub.backup.blobs import check_object_blob
from hub.backup.create import NO_PROGRESS, Progress
from hub.backup.crypto import BackupKey, open_all
from hub.backup.errors import BackupError, BackupErrorCode
from hub.backup.manifest import Manifest, Segment, read_manifest
from hub.backup.records import split_records
from hub.backup.targets import Target


@dataclass
class VerifyReport:
    manifest: Manifest
    blobs_checked: int = 0
    problems: list[BackupError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_segment(target: Target, key: BackupKey, segment: Segment) -> bytes:
    """The segment's records, authenticated and checked against the manifest (BackupError TAMPERED)."""
    sealed = target.read(segment.blob)
    try:
        data = zlib.decompress(open_all(key, segment.blob, sealed))
    except zlib.error:
        raise BackupError(
            BackupErrorCode.TAMPERED, f"{segment.blob} does not decompress", segment.blob
        ) from None
    if hashlib.sha256(data).hexdigest() != segment.sha256 or len(data) != segment.bytes:
        raise BackupError(
            BackupErrorCode.TAMPERED, f"{segment.blob} is not the segment the manifest names", segment.blob
        )
    try:
        records = len(split_records(data))
    except ValueError as error:
        raise BackupError(BackupErrorCode.TAMPERED, f"{segment.blob}: {error}", segment.blob) from None
    if records != segment.records:
        raise BackupError(
            BackupErrorCode.TAMPERED,
            f"{segment.blob} holds {records} records, not {segment.records}",
            segment.blob,
        )
    return data


def _check_collection(
    target: Target, key: BackupKey, name: str, manifest: Manifest, report: VerifyReport
) -> None:
    part = manifest.collections[name]
    digest = hashlib.sha256()
    for segment in part.segments:
        try:
            digest.update(read_segment(target, key, segment))
        except BackupError as error:
            report.problems.append(error)
            return
        report.blobs_checked += 1
    records = sum(segment.records for segment in part.segments)
    if digest.hexdigest() != part.sha256 or records != part.records:
        report.problems.append(
            BackupError(BackupErrorCode.TAMPERED, f"collection {name} does not add up to its manifest entry")
        )


async def verify_backup(
    target: Target, key: BackupKey, backup_id: str, progress: Progress = NO_PROGRESS
) -> VerifyReport:
    """Every problem found; the manifest itself failing (wrong key, tampered, missing) raises BackupError."""
    manifest = await anyio.to_thread.run_sync(read_manifest, target, key, backup_id)
    report = VerifyReport(manifest)
    progress.phase("records", manifest.record_count)
    for name, part in manifest.collections.items():
        await anyio.to_thread.run_sync(_check_collection, target, key, name, manifest, report)
        progress.advance(part.records)
    progress.phase("objects (bytes)", manifest.object_bytes)
    checked: set[str] = set()
    for entry in manifest.objects:
        if entry.blob not in checked:
            try:
                await anyio.to_thread.run_sync(check_object_blob, target, key, entry)
            except BackupError as error:
                report.problems.append(error)
            checked.add(entry.blob)
        progress.advance(entry.size)
    report.blobs_checked += len(checked)
    return report
