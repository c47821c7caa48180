"""Objects in and out of sealed blobs. A backup carries every object its document records name (see
hub.inventory.objects) and those under the fixed prefixes, each stored once across backups, under a name
derived from its SHA-256.

Staging objects of presigned uploads still waiting for confirmation are left out: they belong to no record,
and a client whose upload was in flight uploads again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import closing

from minio.error import S3Error

from hub.backup.crypto import BackupKey, open_sealed, seal
from hub.backup.errors import BackupError, BackupErrorCode
from hub.backup.manifest import ObjectEntry
from hub.backup.targets import Target
from hub.inventory.objects import ObjectRef
from hub.storage import MISSING, ObjectStore


class _Hashing:
    """Passes chunks through while hashing and counting them."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self.digest = hashlib.sha256()
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            self.digest.update(chunk)
            self.size += len(chunk)
            yield chunk


def copy_object(store: ObjectStore, target: Target, key: BackupKey, ref: ObjectRef) -> int:
    """Seals the object's bytes into its blob; the bytes written. Raises BackupError MISMATCH when the bytes
    are not those the record describes (nothing is left in the target then), MISSING_FILE when the object
    is gone."""
    name = key.blob_name(ref.sha256)
    try:
        with closing(store.chunks_sync(ref.key)) as chunks:
            hashing = _Hashing(chunks)
            written = target.write(name, seal(key, name, hashing))
    except S3Error as error:
        if error.code in MISSING:
            raise BackupError(BackupErrorCode.MISSING_FILE, f"object {ref.key} is missing", ref.key) from None
        raise
    if hashing.digest.hexdigest() != ref.sha256 or hashing.size != ref.size:
        target.remove(name)
        raise BackupError(
            BackupErrorCode.MISMATCH,
            f"object {ref.key} holds {hashing.size} bytes with SHA-256 {hashing.digest.hexdigest()}, not the "
            f"{ref.size} bytes with SHA-256 {ref.sha256} its record names",
            ref.key,
        )
    return written


def entry_for(ref: ObjectRef, key: BackupKey) -> ObjectEntry:
    return ObjectEntry(
        key=ref.key,
        sha256=ref.sha256,
        size=ref.size,
        content_type=ref.content_type,
        blob=key.blob_name(ref.sha256),
    )


def _checked(chunks: Iterator[bytes], entry: ObjectEntry) -> Iterator[bytes]:
    """The chunks, then a check that they are the bytes the manifest names (the seal already proved that
    nobody changed them; this catches a manifest pointing at the wrong blob)."""
    digest, count = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        count += len(chunk)
        yield chunk
    if digest.hexdigest() != entry.sha256 or count != entry.size:
        raise BackupError(
            BackupErrorCode.TAMPERED,
            f"{entry.blob} does not hold the bytes of {entry.key} named by the manifest",
            entry.blob,
        )


def blob_plaintext(target: Target, key: BackupKey, entry: ObjectEntry) -> Iterator[bytes]:
    """The object's bytes from its blob, authenticated chunk by chunk and checked against the manifest."""
    return _checked(open_sealed(key, entry.blob, target.read(entry.blob)), entry)


def check_object_blob(target: Target, key: BackupKey, entry: ObjectEntry) -> None:
    for _ in blob_plaintext(target, key, entry):
        pass
