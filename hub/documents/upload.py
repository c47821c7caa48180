"""Multipart uploads as ordered steps: validate (who, where, the name), then stream the bytes into object
storage while sniffing, hashing and counting them (hub.documents.receive), then the steps every upload shares
(dedupe, record, hand on; see hub.documents.record).

Each step either succeeds or leaves nothing behind: the streamed object is removed again when no document
comes of it (a refusal, a duplicate, a record that cannot be written). A streamed file is recorded only once
the whole request that carried it has arrived intact: a request refused after the file stores nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

import anyio.to_thread

from hub.access.principal import Principal
from hub.core.clock import storable_time
from hub.core.idempotency import earlier, request_key
from hub.dispatch import TaskDispatcher
from hub.documents.access import can_see, document_for_change
from hub.documents.checks import check_size, clean_name, target_region
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.metadata import RecordInput, check_record
from hub.documents.models import DocumentCategory, StoredDocument
from hub.documents.names import name_for_type
from hub.documents.receive import ByteSource, FileSource, receive
from hub.documents.record import (
    CheckedFile,
    UploadResult,
    in_trash_error,
    object_key_for,
    record_document,
    remove_quietly,
)
from hub.documents.versions import record_version
from hub.i18n import Text
from hub.storage import ObjectStore

__all__ = ["IncomingFile", "StreamedFile", "UploadResult", "add_version", "upload_document"]
DOCUMENT_UPLOAD = "document.upload"  # the kind of creation its idempotency keys name


@dataclass(frozen=True)
class IncomingFile:
    """A file already at hand: a stream positioned at its start, and its size."""

    name: str | None
    stream: BinaryIO
    size: int


@dataclass(frozen=True)
class StreamedFile:
    """A file still arriving (a part of the request body), read once; its name is known when it begins, its
    size at its end."""

    source: FileSource


class _StreamSource:
    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    async def read(self, size: int) -> bytes:
        return await anyio.to_thread.run_sync(self._stream.read, size)


async def _receive(
    store: ObjectStore,
    file: IncomingFile | StreamedFile,
    key: str,
    max_bytes: int,
    max_video_bytes: int | None,
) -> CheckedFile:
    if isinstance(file, IncomingFile):
        file_name = clean_name(file.name)
        check_size(file.size, max_bytes)
        source: ByteSource = _StreamSource(file.stream)
    else:
        file_name = clean_name(await file.source.start())
        source = file.source
    received = await receive(store, source, key, max_bytes, max_video_bytes=max_video_bytes)
    if isinstance(file, StreamedFile):
        try:
            await file.source.settle()
        except BaseException:
            await remove_quietly(store, key)
            raise
    return CheckedFile(
        file_name=name_for_type(file_name, received.content_type),
        content_type=received.content_type,
        size=received.size,
        sha256=received.sha256,
    )


async def _kept(store: ObjectStore, key: str, recording: Awaitable[UploadResult]) -> UploadResult:
    """The result of recording the bytes streamed to `key`; they are removed when nothing was created."""
    try:
        result = await recording
    except BaseException:
        await remove_quietly(store, key)
        raise
    if not result.created:
        await remove_quietly(store, key)
    return result


async def upload_document(
    *,
    store: ObjectStore,
    dispatcher: TaskDispatcher,
    max_bytes: int,
    region_code: str,
    category: DocumentCategory,
    file: IncomingFile | StreamedFile,
    principal: Principal,
    client_mutation_id: str | None = None,
    max_video_bytes: int | None = None,
    record: RecordInput | None = None,
) -> UploadResult:
    uploader = principal.actor
    key = request_key(DOCUMENT_UPLOAD, uploader, client_mutation_id)
    first = await earlier(StoredDocument, key)
    if first is not None:
        return UploadResult(replayed(principal, first), created=False)

    region = await target_region(principal, region_code)
    values = await check_record(
        principal, region_code=region.id, category=category, current={}, given=record or RecordInput({})
    )
    now = storable_time(datetime.now(UTC))
    object_key = object_key_for(region.id, now)
    checked = await _receive(store, file, object_key, max_bytes, max_video_bytes)
    result = await _kept(
        store,
        object_key,
        record_document(
            store=store,
            dispatcher=dispatcher,
            region_code=region.id,
            region_path=region.subtree_codes,
            category=category,
            checked=checked,
            place=None,
            object_key=object_key,
            uploader=uploader,
            client_mutation_id=client_mutation_id,
            now=now,
            idempotency_key=key,
            record=values,
        ),
    )
    return result if result.created else UploadResult(replayed(principal, result.document), created=False)


def replayed(principal: Principal, document: StoredDocument) -> StoredDocument:
    """A document an earlier attempt of the same request (or an identical file) recorded, as long as the
    principal, as it is now, may still see it."""
    if document.in_trash:
        raise in_trash_error(document, "clientMutationId")
    if not can_see(principal, document):
        raise DocumentError(
            DocumentErrorCode.DOCUMENT_NOT_FOUND,
            Text("documents.retry_document_not_visible"),
            "clientMutationId",
        )
    return document


async def add_version(
    *,
    store: ObjectStore,
    dispatcher: TaskDispatcher,
    max_bytes: int,
    document_id: str,
    category: DocumentCategory | None,
    file: IncomingFile | StreamedFile,
    principal: Principal,
    max_video_bytes: int | None = None,
) -> UploadResult:
    """A new version of a document from a multipart upload; the same checks as a new document."""
    document = await document_for_change(principal, document_id)
    now = storable_time(datetime.now(UTC))
    key = object_key_for(document.region_code, now)
    checked = await _receive(store, file, key, max_bytes, max_video_bytes)
    return await _kept(
        store,
        key,
        record_version(
            store=store,
            dispatcher=dispatcher,
            document=document,
            category=category,
            checked=checked,
            place=None,
            object_key=key,
            uploader=principal.actor,
            now=now,
        ),
    )
