"""The steps every upload ends with, whichever way the bytes came in: dedupe, place the bytes at a generated
key, record the document with its audit entry (hub.audit.pending), hand the ingest on.

The caller has checked the file (name, size, type, hash) and either supplies `place`, which puts the checked
bytes at the generated key (a server-side copy for presigned uploads), or has put them at `object_key` already
(multipart uploads are streamed there while they are checked) and removes them when no document comes of it.
Bytes placed are removed again when the record cannot be written.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio.to_thread
from pymongo.errors import DuplicateKeyError

from hub.audit.linker import complete_insert
from hub.audit.pending import attach_pending
from hub.core.clock import storable_time
from hub.core.idempotency import insert_once
from hub.dispatch import TaskDispatcher
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.models import DocumentCategory, StoredDocument
from hub.i18n import Text
from hub.storage import ObjectChangedError, ObjectStore

log = logging.getLogger(__name__)

PlaceBytes = Callable[[str, str], Awaitable[None]]
"""Puts the checked bytes at (final key, content type)."""


@dataclass(frozen=True)
class CheckedFile:
    """A file whose name, size, type and hash have been checked."""

    file_name: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class UploadResult:
    document: StoredDocument
    created: bool


OBJECT_PREFIX = "documents/"


def object_key_for(region_code: str, now: datetime) -> str:
    """Server-generated: nothing of the user's file name reaches storage."""
    return f"{OBJECT_PREFIX}{region_code}/{now:%Y/%m}/{uuid.uuid4().hex}"


def in_trash_error(document: StoredDocument, field: str = "file") -> DocumentError:
    return DocumentError(
        DocumentErrorCode.DOCUMENT_IN_TRASH,
        Text("documents.document_in_trash", region_code=document.region_code, id=document.id),
        field,
    )


async def same_content(region_code: str, sha256: str) -> StoredDocument | None:
    """The document of the region whose current version has these bytes; DOCUMENT_IN_TRASH when it is in the
    trash (restoring it is the way back)."""
    existing = await StoredDocument.find_one({"region_code": region_code, "sha256": sha256})
    if existing is not None and existing.in_trash:
        raise in_trash_error(existing)
    return existing


async def remove_quietly(store: ObjectStore, key: str) -> None:
    try:
        await store.remove(key)
    except Exception as error:
        log.warning("could not remove %s after a failed store: %s", key, error)


async def store_bytes(store: ObjectStore, place: PlaceBytes | None, key: str, content_type: str) -> None:
    """Runs `place` (None: the bytes are at `key` already); when it fails, whatever it may have written at
    `key` is removed, and the failure is told as a DocumentError."""
    if place is None:
        return
    try:
        await place(key, content_type)
    except Exception as error:
        await remove_quietly(store, key)
        if isinstance(error, DocumentError):
            raise
        if isinstance(error, ObjectChangedError):
            raise DocumentError(
                DocumentErrorCode.HASH_MISMATCH,
                Text("documents.changed_upload_again"),
                "file",
            ) from None
        log.warning("object storage refused %s: %s", key, error)
        raise DocumentError(
            DocumentErrorCode.STORAGE_UNAVAILABLE, Text("documents.store_unavailable"), "file"
        ) from error


async def dispatch_ingest(dispatcher: TaskDispatcher, document_id: str) -> None:
    try:
        await anyio.to_thread.run_sync(dispatcher.ingest_document, document_id)
    except Exception:
        log.exception("could not queue ingest of %s; the sweep will pick it up", document_id)


async def dispatch_index(dispatcher: TaskDispatcher, document_id: str) -> None:
    try:
        await anyio.to_thread.run_sync(dispatcher.index_document, document_id)
    except Exception:
        log.exception("could not queue indexing of %s; the sweep will pick it up", document_id)


async def dispatch_evidence_check(dispatcher: TaskDispatcher, document_id: str) -> None:
    try:
        await anyio.to_thread.run_sync(dispatcher.check_evidence, document_id)
    except Exception:
        log.exception("could not queue the evidence check of %s; the sweep will pick it up", document_id)


async def record_document(
    *,
    store: ObjectStore,
    dispatcher: TaskDispatcher,
    region_code: str,
    region_path: list[str],
    category: DocumentCategory,
    checked: CheckedFile,
    place: PlaceBytes | None,
    uploader: str,
    client_mutation_id: str | None,
    now: datetime,
    audit_extra: dict[str, Any] | None = None,
    object_key: str | None = None,
    idempotency_key: str | None = None,
    record: dict[str, Any] | None = None,
) -> UploadResult:
    """A new document, or the region's existing one with the same bytes (created=False), or the document of a
    concurrent attempt of the same request (`idempotency_key`, hub.core.idempotency; created=False). Without
    `place`, the bytes are at `object_key` already."""
    if place is None and object_key is None:
        raise ValueError("record_document needs `place` or the `object_key` the bytes are at")
    existing = await same_content(region_code, checked.sha256)
    if existing is not None:
        return UploadResult(existing, created=False)

    now = storable_time(now)
    document = StoredDocument(
        region_code=region_code,
        region_path=region_path,
        category=category,
        file_name=checked.file_name,
        object_key=object_key or object_key_for(region_code, now),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploader=uploader,
        client_mutation_id=client_mutation_id,
        uploaded_at=now,
        created_at=now,
        updated_at=now,
        **(record or {}),
    )
    change: dict[str, Any] = {
        "region": region_code,
        "category": category.value,
        "file_name": checked.file_name,
        "content_type": checked.content_type,
        "sha256": checked.sha256,
        "size": checked.size,
    }
    # The record fields given, as plain values (ids as strings); those left empty are not told.
    given = {name: value for name, value in (record or {}).items() if value not in (None, {})}
    change |= {name: str(value) if name.endswith("_id") else value for name, value in given.items()}
    audit = attach_pending(document, uploader, "document.upload", "Document", change | (audit_extra or {}))
    await store_bytes(store, place, document.object_key, checked.content_type)
    try:
        winner = await insert_once(document, idempotency_key)
    except DuplicateKeyError:
        # The same file reached this region concurrently: keep the first, drop our copy.
        await store.remove(document.object_key)
        winner = await same_content(region_code, checked.sha256)
        if winner is None:
            raise
        return UploadResult(winner, created=False)
    except BaseException:
        await store.remove(document.object_key)
        raise
    if winner is not None:  # the same request, retried at the same moment, was recorded first
        await store.remove(document.object_key)
        return UploadResult(winner, created=False)
    await complete_insert(document, audit)
    await dispatch_ingest(dispatcher, str(document.id))  # its evidence is checked once its text is read
    return UploadResult(document, created=True)
