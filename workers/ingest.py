"""Document ingest as ordered steps: load, fetch bytes, extract text, record it, index. Safe to run twice:
each step checks the state it expects and updates conditionally on the revision it read."""

from __future__ import annotations

import logging

import anyio.to_thread
from beanie import PydanticObjectId

from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentState, StoredDocument
from search.indexer import index_document
from workers.extraction import ExtractionError, ExtractionLimits, UnsupportedForExtraction, extract_text

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
    try:
        # OcrUnavailable (a tool missing on this machine) is not caught: the task fails loudly and the
        # document stays `stored` until the machine is fixed.
        text: str | None = await anyio.to_thread.run_sync(extract_text, document.content_type, data, limits)
    except UnsupportedForExtraction as error:
        log.info("document %s: %s; indexing its metadata only", document.id, error)
        text = None
    except ExtractionError as error:
        await collection.update_one(
            guard,
            {
                "$set": {
                    "state": DocumentState.REJECTED.value,
                    "rejection_reason": str(error),
                    "updated_at": utcnow(),
                    "needs_index": False,
                },
                "$inc": {"revision": 1},
            },
        )
        return "rejected"

    result = await collection.update_one(
        guard,
        {
            "$set": {
                "text": text,
                "state": DocumentState.EXTRACTED.value,
                "needs_index": True,
                "updated_at": utcnow(),
            },
            "$inc": {"revision": 1},
        },
    )
    if result.matched_count == 0:
        return "skipped (changed meanwhile)"
    fresh = await StoredDocument.get(document.id)
    if fresh is None:
        return "gone"
    await index_document(clients.es, clients.settings.es_index_prefix, fresh)
    return "indexed"


async def index_pending(clients: Clients, document_id: str) -> str:
    document = await StoredDocument.get(PydanticObjectId(document_id))
    if document is None or not document.needs_index:
        return "nothing to do"
    await index_document(clients.es, clients.settings.es_index_prefix, document)
    return "indexed"
