"""The manifest of one backup: what it holds, with counts and checksums, sealed like every other file.

The manifest is written last, so a backup without one is incomplete and ignored (its blobs are garbage for
the next prune). Its seal authenticates it: a changed count or checksum is refused like a changed blob.
"""

from __future__ import annotations

import secrets
import zlib
from datetime import datetime

from pydantic import BaseModel, Field, ValidationError

from hub.backup.crypto import BackupKey, open_all, seal
from hub.backup.errors import BackupError, BackupErrorCode
from hub.backup.targets import Target

FORMAT = 1
BACKUPS_PREFIX = "backups/"


class Segment(BaseModel):
    """A run of consecutive records of one collection (raw BSON, in `_id` order), compressed with zlib."""

    blob: str
    records: int
    bytes: int = Field(description="uncompressed size")
    sha256: str = Field(description="of the uncompressed bytes")


class CollectionPart(BaseModel):
    records: int = 0
    sha256: str = Field(default="", description="of every record's raw BSON in `_id` order")
    segments: list[Segment] = Field(default_factory=list)


class ObjectEntry(BaseModel):
    key: str
    sha256: str
    size: int
    content_type: str
    blob: str


class Stats(BaseModel):
    blobs_written: int = 0
    blobs_reused: int = 0
    bytes_written: int = Field(default=0, description="sealed bytes this backup added to the target")
    bytes_reused: int = Field(default=0, description="plaintext bytes found in the target already")
    seconds: float = 0.0


class Manifest(BaseModel):
    format: int = FORMAT
    id: str
    key_id: str
    started_at: datetime = Field(
        description="the point-in-time marker: everything written before it is in this backup; what was "
        "written while it ran may be, and is in the next one"
    )
    finished_at: datetime | None = None
    source: dict[str, str] = Field(default_factory=dict, description="database and bucket backed up")
    collections: dict[str, CollectionPart] = Field(default_factory=dict)
    objects: list[ObjectEntry] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list, description="what could not be backed up, and why")
    stats: Stats = Field(default_factory=Stats)

    @property
    def record_count(self) -> int:
        return sum(part.records for part in self.collections.values())

    @property
    def object_bytes(self) -> int:
        return sum(entry.size for entry in self.objects)

    def blobs(self) -> set[str]:
        return {s.blob for part in self.collections.values() for s in part.segments} | {
            entry.blob for entry in self.objects
        }


def new_backup_id(at: datetime) -> str:
    """Sortable by time; the random tail keeps two backups of the same second apart."""
    return f"{at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def manifest_name(backup_id: str) -> str:
    return f"{BACKUPS_PREFIX}{backup_id}/manifest"


def write_manifest(target: Target, key: BackupKey, manifest: Manifest) -> int:
    name = manifest_name(manifest.id)
    plain = zlib.compress(manifest.model_dump_json().encode(), 6)
    return target.write(name, seal(key, name, [plain]))


def read_manifest(target: Target, key: BackupKey, backup_id: str) -> Manifest:
    name = manifest_name(backup_id)
    plain = open_all(key, name, target.read(name))
    try:
        manifest = Manifest.model_validate_json(zlib.decompress(plain))
    except (zlib.error, ValidationError) as error:  # authenticated yet unreadable: written by another version
        raise BackupError(BackupErrorCode.TAMPERED, f"{name} cannot be read: {error}", name) from None
    if manifest.id != backup_id:
        raise BackupError(BackupErrorCode.TAMPERED, f"{name} describes backup {manifest.id}", name)
    return manifest


def backup_ids(target: Target) -> list[str]:
    """Complete backups (with a manifest), oldest first."""
    names = target.names(BACKUPS_PREFIX)
    return sorted(
        name.removeprefix(BACKUPS_PREFIX).removesuffix("/manifest")
        for name in names
        if name.endswith("/manifest")
    )


def resolve_id(target: Target, wanted: str | None) -> str:
    """`wanted`, or the latest backup when it is None or "latest"."""
    ids = backup_ids(target)
    if wanted in (None, "latest"):
        if not ids:
            raise BackupError(BackupErrorCode.NOT_FOUND, f"no backup in {target.description}")
        return ids[-1]
    if wanted not in ids:
        raise BackupError(BackupErrorCode.NOT_FOUND, f"no backup {wanted} in {target.description}")
    return wanted
