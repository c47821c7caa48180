"""Writes MongoDB records into the search index. ES `_id` is the MongoDB id and the ES version is the record's
`revision` (external versioning), so a replayed or late write never overwrites newer data."""

from __future__ import annotations

import logging
from typing import Any

from elasticsearch import AsyncElasticsearch, ConflictError

from hub.documents.models import DocumentState, StoredDocument, utcnow
from search.analysis import stem_text
from search.indices import DOCUMENTS

log = logging.getLogger(__name__)


def document_source(document: StoredDocument) -> dict[str, Any]:
    text = document.text or ""
    return {
        "kind": "document",
        "title": document.file_name,
        "title_stem": stem_text(document.file_name),
        "text": text,
        "text_stem": stem_text(text),
        "region_code": document.region_code,
        "region_path": document.region_path,
        "category": document.category.value,
        "content_type": document.content_type,
        "created_at": document.created_at.isoformat(),
    }


async def index_document(es: AsyncElasticsearch, prefix: str, document: StoredDocument) -> bool:
    """Index one document at its revision and clear its marker; False when newer data was already there."""
    written = True
    try:
        await es.index(
            index=DOCUMENTS.alias(prefix),
            id=str(document.id),
            document=document_source(document),
            version=document.revision,
            version_type="external",
        )
    except ConflictError:
        log.info("index already holds %s at revision >= %s", document.id, document.revision)
        written = False
    # Clear the marker only if nothing changed the record meanwhile (same revision).
    update: dict[str, Any] = {"needs_index": False, "updated_at": utcnow()}
    if document.state is DocumentState.EXTRACTED:
        update["state"] = DocumentState.INDEXED.value
    await StoredDocument.get_pymongo_collection().update_one(
        {"_id": document.id, "revision": document.revision}, {"$set": update}
    )
    return written
