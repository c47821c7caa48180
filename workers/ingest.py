"""Document ingest as ordered steps: load, fetch bytes, read a photo (EXIF, derivatives: workers/photos.py),
extract text, record it, index. Safe to run twice:
each step checks the state it expects and updates conditionally on the revision it read."""

from __future__ import annotations

import logging
from typing import Any

import anyio.to_thread
from beanie import PydanticObjectId

from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentState, MediaInfo, StoredDocument
from hub.evidence.check import check_document_evidence
from search.indexer import index_document
from workers.extraction import ExtractionError, ExtractionLimits, UnsupportedForExtraction, extract
from workers.media import PhotoUnreadable
from workers.photos import discard, is_photo, photo_media

log = logging.getLogger(__name__)


async def ingest_document(clients: Clients, document_id: str) -> str:
    """Returns what happened, for logs and tests."""
    document = await StoredDocument.get(PydanticObjectId(document_id))
    if document is None:
        return "gone"
    if document.state is not DocumentState.STORED:
        if document.needs_index:
            await index_document(clients.es, clients.settings.es_index_prefix, document)
            return "indexed"
        return f"skipped ({document.state.value})"

    limit = clients.settings.max_upload_bytes
    data = await anyio.to_thread.run_sync(lambda: clients.store.read_sync(document.object_key, limit))
    collection = StoredDocument.get_pymongo_collection()
    guard = {"_id": document.id, "revision": document.revision, "state": DocumentState.STORED.value}
    limits = ExtractionLimits.from_settings(clients.settings)
    media: MediaInfo | None = None
    if is_photo(document):
        try:
            media = await photo_media(clients, document, data)
        except PhotoUnreadable as error:
            # No thumbnails; extraction, which reads more image modes than the photo step converts, decides
            # whether the document is rejected (and says why).
            log.info("document %s: no thumbnails: %s", document.id, error)
    recorded = {"media": media.model_dump(mode="python")} if media is not None else {}
    try:
        # OcrUnavailable (a tool missing on this machine) is not caught: the task fails loudly and the
        # document stays `stored` until the machine is fixed.
        extracted = await anyio.to_thread.run_sync(extract, document.content_type, data, limits)
        text, confidence = extracted.text, extracted.ocr_confidence
    except UnsupportedForExtraction as error:
        log.info("document %s: %s; indexing its metadata only", document.id, error)
        text, confidence = None, None
    except ExtractionError as error:
        if media is None:
            rejected = await _reject(collection, guard, str(error))
            await check_document_evidence(document_id)  # its evidence fails, saying why
            return rejected
        # A photo that decoded, whose text OCR could not read (in time): still a photo, indexed by its
        # metadata, with its EXIF facts and thumbnails.
        log.info("photo %s: %s; indexing its metadata only", document.id, error)
        text, confidence = None, None

    result = await collection.update_one(
        guard,
        {
            "$set": {
                "text": text,
                "ocr_confidence": confidence,
                "state": DocumentState.EXTRACTED.value,
                "needs_index": True,
                "updated_at": utcnow(),
                **recorded,
            },
            "$inc": {"revision": 1},
        },
    )
    if result.matched_count == 0:
        await _drop(clients, media, document)
        return "skipped (changed meanwhile)"
    fresh = await StoredDocument.get(document.id)
    if fresh is None:
        return "gone"
    await index_document(clients.es, clients.settings.es_index_prefix, fresh)
    # The text arrived: the evidence the document was attached as is checked against it now.
    await check_document_evidence(document_id)
    return "indexed"


async def _drop(clients: Clients, media: MediaInfo | None, document: StoredDocument) -> None:
    """The derivatives of an update that did not happen, unless the record names them anyway."""
    if media is not None:
        await discard(clients, media.derivatives, await StoredDocument.get(document.id))


async def _reject(collection: Any, guard: dict[str, Any], reason: str) -> str:
    await collection.update_one(
        guard,
        {
            "$set": {
                "state": DocumentState.REJECTED.value,
                "rejection_reason": reason,
                "updated_at": utcnow(),
                "needs_index": False,
            },
            "$inc": {"revision": 1},
        },
    )
    return "rejected"


async def index_pending(clients: Clients, document_id: str) -> str:
    document = await StoredDocument.get(PydanticObjectId(document_id))
    if document is None or not document.needs_index:
        return "nothing to do"
    await index_document(clients.es, clients.settings.es_index_prefix, document)
    return "indexed"
