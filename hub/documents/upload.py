"""Multipart uploads as ordered steps: validate, sniff, hash, then the steps every upload shares (dedupe,
store the bytes, record, hand on; see hub.documents.record).

Each step either succeeds or leaves nothing behind: bytes written to object storage are removed again when the
record cannot be written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

import anyio.to_thread

from hub.access.principal import Principal
from hub.dispatch import TaskDispatcher
from hub.documents.access import document_for_change
from hub.documents.checks import check_size, clean_name, require_type, target_region
from hub.documents.models import DocumentCategory, StoredDocument
from hub.documents.record import CheckedFile, UploadResult, record_document
from hub.documents.sniff import sniff_content_type
from hub.documents.versions import record_version
from hub.storage import ObjectStore

HASH_CHUNK = 1024 * 1024

__all__ = ["IncomingFile", "UploadResult", "add_version", "upload_document"]


@dataclass(frozen=True)
class IncomingFile:
    """An uploaded file already spooled by the web layer: a seekable stream and its size."""

    name: str | None
    stream: BinaryIO
    size: int


def _sha256(stream: BinaryIO) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(HASH_CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


async def _check(file: IncomingFile, max_bytes: int) -> CheckedFile:
    file_name = clean_name(file.name)
    check_size(file.size, max_bytes)
    content_type = require_type(await anyio.to_thread.run_sync(sniff_content_type, file.stream))
    sha256 = await anyio.to_thread.run_sync(_sha256, file.stream)
    return CheckedFile(file_name=file_name, content_type=content_type, size=file.size, sha256=sha256)


async def upload_document(
    *,
    store: ObjectStore,
    dispatcher: TaskDispatcher,
    max_bytes: int,
    region_code: str,
    category: DocumentCategory,
    file: IncomingFile,
    principal: Principal,
    client_mutation_id: str | None = None,
) -> UploadResult:
    uploader = principal.actor
    if client_mutation_id:
        earlier = await StoredDocument.find_one(
            {
                "client_mutation_id": client_mutation_id,
                "uploader": uploader,
                "region_code": region_code,
                "deleted_at": None,
            }
        )
        if earlier is not None:
            return UploadResult(earlier, created=False)

    region = await target_region(principal, region_code)
    checked = await _check(file, max_bytes)

    async def place(key: str, content_type: str) -> None:
        await store.put(key, file.stream, file.size, content_type)

    return await record_document(
        store=store,
        dispatcher=dispatcher,
        region_code=region.id,
        region_path=region.subtree_codes,
        category=category,
        checked=checked,
        place=place,
        uploader=uploader,
        client_mutation_id=client_mutation_id,
        now=datetime.now(UTC),
    )


async def add_version(
    *,
    store: ObjectStore,
    dispatcher: TaskDispatcher,
    max_bytes: int,
    document_id: str,
    category: DocumentCategory | None,
    file: IncomingFile,
    principal: Principal,
) -> UploadResult:
    """A new version of a document from a multipart upload; the same checks as a new document."""
    document = await document_for_change(principal, document_id)
    checked = await _check(file, max_bytes)

    async def place(key: str, content_type: str) -> None:
        await store.put(key, file.stream, file.size, content_type)

    return await record_version(
        store=store,
        dispatcher=dispatcher,
        document=document,
        category=category,
        checked=checked,
        place=place,
        uploader=principal.actor,
        now=datetime.now(UTC),
    )
