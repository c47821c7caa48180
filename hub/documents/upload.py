"""Document upload as ordered steps: validate, sniff, hash, dedupe, store bytes, record, hand on.

Each step either succeeds or leaves nothing behind: bytes written to object storage are removed again when the
record cannot be written.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

import anyio.to_thread
from pymongo.errors import DuplicateKeyError

from hub.access.principal import Principal
from hub.audit.service import record
from hub.dispatch import TaskDispatcher
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.models import DocumentCategory, StoredDocument
from hub.documents.names import FileNameError, clean_file_name
from hub.documents.sniff import sniff_content_type
from hub.regions.services import get_region
from hub.storage import ObjectStore

log = logging.getLogger(__name__)
HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class IncomingFile:
    """An uploaded file already spooled by the web layer: a seekable stream and its size."""

    name: str | None
    stream: BinaryIO
    size: int


@dataclass(frozen=True)
class UploadResult:
    document: StoredDocument
    created: bool


def _sha256(stream: BinaryIO) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(HASH_CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def object_key_for(region_code: str, now: datetime) -> str:
    """Server-generated: nothing of the user's file name reaches storage."""
    return f"documents/{region_code}/{now:%Y/%m}/{uuid.uuid4().hex}"


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
            {"client_mutation_id": client_mutation_id, "uploader": uploader, "region_code": region_code}
        )
        if earlier is not None:
            return UploadResult(earlier, created=False)

    region = await get_region(region_code)
    if region is None:
        raise DocumentError(
            DocumentErrorCode.REGION_NOT_FOUND, f"no region has the code {region_code!r}", "region"
        )
    if not principal.can_upload_to(region.subtree_codes):
        raise DocumentError(
            DocumentErrorCode.PERMISSION_DENIED,
            f"{principal.actor} may not add documents to region {region.id}",
            "region",
        )
    try:
        file_name = clean_file_name(file.name)
    except FileNameError as error:
        raise DocumentError(DocumentErrorCode.INVALID_FILE_NAME, str(error), "file") from None
    if file.size <= 0:
        raise DocumentError(DocumentErrorCode.EMPTY_FILE, "the file is empty (0 bytes)", "file")
    if file.size > max_bytes:
        raise DocumentError(
            DocumentErrorCode.FILE_TOO_LARGE,
            f"the file has {file.size} bytes; the limit is {max_bytes} bytes",
            "file",
        )
    content_type = await anyio.to_thread.run_sync(sniff_content_type, file.stream)
    if content_type is None:
        raise DocumentError(
            DocumentErrorCode.UNSUPPORTED_TYPE,
            "the file's content is not an accepted type "
            "(PDF, DOCX, XLSX, ODT, JPEG, PNG, TIFF or plain text)",
            "file",
        )
    sha256 = await anyio.to_thread.run_sync(_sha256, file.stream)
    existing = await StoredDocument.find_one({"region_code": region.id, "sha256": sha256})
    if existing is not None:
        return UploadResult(existing, created=False)

    now = datetime.now(UTC)
    document = StoredDocument(
        region_code=region.id,
        region_path=region.subtree_codes,
        category=category,
        file_name=file_name,
        object_key=object_key_for(region.id, now),
        content_type=content_type,
        size=file.size,
        sha256=sha256,
        uploader=uploader,
        client_mutation_id=client_mutation_id,
        created_at=now,
        updated_at=now,
    )
    try:
        await store.put(document.object_key, file.stream, file.size, content_type)
    except Exception as error:
        log.warning("object storage refused %s: %s", document.object_key, error)
        raise DocumentError(
            DocumentErrorCode.STORAGE_UNAVAILABLE, "the file could not be stored; try again later", "file"
        ) from error
    try:
        await document.insert()
    except DuplicateKeyError:
        # The same file reached this region concurrently: keep the first, drop our copy.
        await store.remove(document.object_key)
        winner = await StoredDocument.find_one({"region_code": region.id, "sha256": sha256})
        if winner is None:
            raise
        return UploadResult(winner, created=False)
    except BaseException:
        await store.remove(document.object_key)
        raise

    await record(
        uploader,
        "document.upload",
        f"Document:{document.id}",
        {
            "region": region.id,
            "category": category.value,
            "file_name": file_name,
            "content_type": content_type,
            "sha256": sha256,
            "size": file.size,
        },
    )
    try:
        await anyio.to_thread.run_sync(dispatcher.ingest_document, str(document.id))
    except Exception:
        log.exception("could not queue ingest of %s; the sweep will pick it up", document.id)
    return UploadResult(document, created=True)
