"""`pantau check`: the live stack reconciled with itself. MongoDB is the source of truth; every object and
index entry must follow from its records, and every record's objects and entries must be there.

The mismatches, each named by its subject (an object key, or `<kind>/<id>` of an index entry):
- missing_object: a document record (any version, trashed ones too) names an object the store lacks;
- changed_object: the object is there at another size (or, with `deep`, other bytes) than the record says;
- orphan_object: an object no record names, older than the grace (an upload in flight puts its bytes before
  its record). Not orphans: the signed audit checkpoints (no record names them by design), the staging
  object of a presigned upload that may still be confirmed or re-sent (hub.documents.purge decides alike),
  a backup target's prefix in the same bucket. Shared objects (the national demo's `demo/<sha256>`, named
  by documents of many regions) are one object whoever names it;
- missing_index_entry, stale_index_entry (the entry's version is below the record's), index_entry_ahead
  (above it: MongoDB lost a change the index saw, which no indexing repairs), orphan_index_entry (an entry
  without a live record). Computed by search.inventory and handed in: the domain never imports `search`.

Records are read before the store is listed: bytes always land before their record, so a record read first
never names an object the listing could not yet see, and an object stored after the records were read is
younger than the grace. A missing object is looked up once more before it is reported. The objects of a
document the trash purge has taken on (past the retention, or its purge entry waiting) may be there or gone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import anyio.to_thread
from minio.error import S3Error

from hub.audit.pending import PENDING_FIELD
from hub.backup.create import BLOBS_PREFIX
from hub.backup.manifest import BACKUPS_PREFIX
from hub.documents.models import PendingUpload, UploadStatus
from hub.documents.presigned import STAGING_PREFIX
from hub.inventory.objects import EXTRA_PREFIXES, ObjectRef, document_refs, documents_collection
from hub.inventory.raw import Database, read_raw
from hub.inventory.state import IndexState
from hub.settings import Settings
from hub.storage import MISSING, ObjectInfo, ObjectStore


class MismatchKind(StrEnum):
    MISSING_OBJECT = "missing_object"
    CHANGED_OBJECT = "changed_object"
    ORPHAN_OBJECT = "orphan_object"
    MISSING_INDEX_ENTRY = "missing_index_entry"
    STALE_INDEX_ENTRY = "stale_index_entry"
    INDEX_ENTRY_AHEAD = "index_entry_ahead"
    ORPHAN_INDEX_ENTRY = "orphan_index_entry"


@dataclass(frozen=True)
class Mismatch:
    kind: MismatchKind
    subject: str
    detail: str


@dataclass(frozen=True)
class CheckPolicy:
    """How old an unnamed object must be to count as an orphan, and whether objects are read back."""

    grace: timedelta
    upload_lifetime: timedelta  # a staging object without a waiting upload may still be re-sent this long
    trash_retention: timedelta
    deep: bool = False

    @classmethod
    def of(cls, settings: Settings, *, grace_seconds: float | None = None, deep: bool = False) -> CheckPolicy:
        grace = settings.orphan_object_grace_seconds if grace_seconds is None else grace_seconds
        lifetime = settings.upload_url_ttl_seconds + settings.upload_confirm_grace_seconds
        retention = timedelta(days=settings.trash_retention_days)
        return cls(timedelta(seconds=grace), timedelta(seconds=lifetime), retention, deep)


@dataclass
class CheckReport:
    records_with_objects: int = 0
    objects_referenced: int = 0
    objects_stored: int = 0
    index_entries: dict[str, int] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def counts(self) -> dict[str, int]:
        found = Counter(mismatch.kind.value for mismatch in self.mismatches)
        return {kind.value: found.get(kind.value, 0) for kind in MismatchKind}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "counts": self.counts(),
            "checked": {
                "records_with_objects": self.records_with_objects,
                "objects_referenced": self.objects_referenced,
                "objects_stored": self.objects_stored,
                "index_entries": self.index_entries,
            },
            "mismatches": [asdict(mismatch) for mismatch in self.mismatches],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, sort_keys=True)


def index_mismatches(states: Mapping[str, IndexState]) -> list[Mismatch]:
    found = []
    for kind, state in sorted(states.items()):
        marked = set(state.marked)
        note = {True: "; still marked for indexing (the sweep will catch up)", False: ""}
        for mismatch_kind, ids, detail in (
            (MismatchKind.MISSING_INDEX_ENTRY, state.missing, "the record is live, the index has no entry"),
            (MismatchKind.STALE_INDEX_ENTRY, state.stale, "the entry's version is below the record's"),
            (MismatchKind.INDEX_ENTRY_AHEAD, state.ahead, "the entry's version is above the record's"),
            (MismatchKind.ORPHAN_INDEX_ENTRY, state.extra, "no live record has this id"),
        ):
            found += [Mismatch(mismatch_kind, f"{kind}/{i}", detail + note[i in marked]) for i in ids]
    return found


@dataclass
class _Named:
    """The objects the records name: each key with what it must be and (one of) the records naming it."""

    refs: dict[str, tuple[ObjectRef, str]] = field(default_factory=dict)
    records: int = 0
    purging: set[str] = field(default_factory=set)  # objects of documents the trash purge has taken on
    staging_waiting: set[str] = field(default_factory=set)  # uploads that may still be confirmed
    staging_done: set[str] = field(default_factory=set)  # confirmed: the purge removes their staging object


def _being_purged(record: Any, cutoff: datetime) -> bool:
    deleted = record.get("deleted_at")
    pending = record.get(PENDING_FIELD) or []
    return (deleted is not None and deleted < cutoff) or any(entry.get("delete") for entry in pending)


async def _named(database: Database, policy: CheckPolicy, now: datetime) -> _Named:
    named = _Named()
    cutoff = now - policy.trash_retention
    async for record in read_raw(database, documents_collection()):
        named.records += 1
        refs = document_refs(record)
        if _being_purged(record, cutoff):
            named.purging.update(ref.key for ref in refs)
            continue
        for ref in refs:
            named.refs.setdefault(ref.key, (ref, f"document {record['_id']}"))
    # A purged document's object may still be named by another document (shared demo files).
    named.purging -= set(named.refs)
    uploads = PendingUpload.get_pymongo_collection()
    async for upload in uploads.find({}, {"staging_key": 1, "status": 1}):
        confirmed = upload.get("status") == UploadStatus.CONFIRMED.value
        (named.staging_done if confirmed else named.staging_waiting).add(str(upload["staging_key"]))
    return named


def _exempt_prefixes(settings: Settings) -> tuple[str, ...]:
    """Prefixes no record names by design: the audit checkpoints, and the backups and blobs of a backup
    target in this bucket (hub.backup refuses the app's own bucket, but a bucket of the same name on the
    same store through another address would be it)."""
    prefixes = list(EXTRA_PREFIXES)
    target = settings.backup_target or ""
    if target.startswith("s3://"):
        bucket, _, prefix = target.removeprefix("s3://").partition("/")
        base = prefix.strip("/") + "/" if prefix.strip("/") else ""
        if bucket == settings.minio_bucket:
            prefixes += [base + BACKUPS_PREFIX, base + BLOBS_PREFIX]
    return tuple(prefixes)


def _orphan(info: ObjectInfo, named: _Named, policy: CheckPolicy, now: datetime) -> bool:
    age = now - info.last_modified if info.last_modified is not None else policy.grace
    if info.key.startswith(STAGING_PREFIX):
        if info.key in named.staging_waiting:
            return False
        return age >= (policy.grace if info.key in named.staging_done else policy.upload_lifetime)
    return age >= policy.grace


def _verdict(store: ObjectStore, ref: ObjectRef, listed: ObjectInfo | None, deep: bool) -> str | None:
    """None when the object is as the record says; else why not. Synchronous (store calls)."""
    info = listed
    if info is None:
        # Listed before it landed, or a listing that lags: ask for the object itself.
        try:
            found = store.client.stat_object(store.bucket, ref.key)
        except S3Error as error:
            if error.code in MISSING:
                return "missing"
            raise
        info = ObjectInfo(ref.key, int(found.size or 0), str(found.etag or ""), found.last_modified)
    if info.size != ref.size:
        return f"changed: {info.size} bytes stored, the record says {ref.size}"
    if deep and store.sha256_sync(ref.key)[0] != ref.sha256:
        return "changed: its SHA-256 is not the record's"
    return None


async def object_mismatches(
    database: Database, store: ObjectStore, settings: Settings, policy: CheckPolicy, now: datetime
) -> tuple[CheckReport, list[Mismatch]]:
    named = await _named(database, policy, now)
    exists = await anyio.to_thread.run_sync(store.client.bucket_exists, store.bucket)
    listing = await anyio.to_thread.run_sync(store.objects_sync) if exists else []
    stored = {info.key: info for info in listing}
    report = CheckReport(
        records_with_objects=named.records, objects_referenced=len(named.refs), objects_stored=len(stored)
    )
    found: list[Mismatch] = []
    for key, (ref, owner) in sorted(named.refs.items()):
        verdict = "missing" if not exists else None
        if exists:
            verdict = await anyio.to_thread.run_sync(_verdict, store, ref, stored.get(key), policy.deep)
        if verdict == "missing":
            found.append(Mismatch(MismatchKind.MISSING_OBJECT, key, f"named by {owner}, not in the store"))
        elif verdict is not None:
            found.append(Mismatch(MismatchKind.CHANGED_OBJECT, key, f"{verdict} ({owner})"))
    exempt = _exempt_prefixes(settings)
    for key, info in sorted(stored.items()):
        if key in named.refs or key in named.purging or key.startswith(exempt):
            continue
        if not _orphan(info, named, policy, now):
            continue
        found.append(Mismatch(MismatchKind.ORPHAN_OBJECT, key, f"{info.size} bytes that no record names"))
    return report, found


async def check_stack(
    database: Database,
    store: ObjectStore,
    settings: Settings,
    index: Mapping[str, IndexState],
    *,
    policy: CheckPolicy,
    now: datetime,
) -> CheckReport:
    """Every mismatch between MongoDB, the object store and the search index (`index`, from search)."""
    report, found = await object_mismatches(database, store, settings, policy, now)
    report.index_entries = {kind: state.entries for kind, state in sorted(index.items())}
    report.mismatches = found + index_mismatches(index)
    return report
