"""Ingest through the real worker: terminal failures are recorded, lost messages are swept up, and running a
step twice changes nothing."""

from __future__ import annotations

import asyncio
import io
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
from beanie import PydanticObjectId

from hub.access.principal import system_principal
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.dispatch import NoDispatch
from hub.documents.models import DocumentCategory, DocumentState, StoredDocument
from hub.documents.upload import IncomingFile, upload_document
from tests.graphql import payload, upload
from tests.test_thin_path import wait_for_state
from workers.celery_app import create_celery
from workers.ingest import ingest_document


async def test_corrupt_pdf_is_rejected_with_a_readable_reason(http: httpx.AsyncClient, worker: Path) -> None:
    data = b"%PDF-1.7\n" + uuid.uuid4().bytes + b" this is not really a PDF"
    result = payload(await upload(http, region="31.74", data=data, name="rusak.pdf"))
    node = await wait_for_state(http, result["document"]["id"], "REJECTED", worker)
    assert node["rejectionReason"].startswith("the PDF cannot be read")


async def _wait_for(
    document_id: PydanticObjectId, state: DocumentState, seconds: float = 60
) -> StoredDocument:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        document = await StoredDocument.get(document_id)
        assert document is not None
        if document.state is state:
            return document
        await asyncio.sleep(0.3)
    raise AssertionError(f"document {document_id} never reached {state}")


async def test_sweep_picks_up_a_document_whose_message_was_lost(
    clients: Clients, seeded: Clients, worker: Path
) -> None:
    data = f"Notulen rapat koordinasi Forkopimda {uuid.uuid4()}".encode()
    result = await upload_document(
        store=clients.store,
        dispatcher=NoDispatch(),  # the message to the worker is "lost"
        max_bytes=clients.settings.max_upload_bytes,
        region_code="12.01",
        category=DocumentCategory.MINUTES,
        principal=system_principal("tests"),
        file=IncomingFile(name="notulen.txt", stream=io.BytesIO(data), size=len(data)),
    )
    document = result.document
    assert document.id is not None
    await asyncio.sleep(1)
    assert (await StoredDocument.get(document.id)).state is DocumentState.STORED  # type: ignore[union-attr]

    # Old enough for the sweep to consider it abandoned.
    await StoredDocument.get_pymongo_collection().update_one(
        {"_id": document.id}, {"$set": {"updated_at": utcnow() - timedelta(minutes=10)}}
    )
    celery = create_celery(clients.settings)
    await asyncio.to_thread(celery.send_task, "pantau.sweep", queue=clients.settings.celery_queue)
    indexed = await _wait_for(document.id, DocumentState.INDEXED)
    assert indexed.text is not None
    assert "Forkopimda" in indexed.text
    assert indexed.needs_index is False


async def test_ingesting_twice_changes_nothing(clients: Clients, seeded: Clients) -> None:
    data = f"Laporan situasi politik {uuid.uuid4()}".encode()
    result = await upload_document(
        store=clients.store,
        dispatcher=NoDispatch(),
        max_bytes=clients.settings.max_upload_bytes,
        region_code="13.01",
        category=DocumentCategory.OTHER,
        principal=system_principal("tests"),
        file=IncomingFile(name="laporan.txt", stream=io.BytesIO(data), size=len(data)),
    )
    document_id = str(result.document.id)
    assert await ingest_document(clients, document_id) == "indexed"
    first = await StoredDocument.get(result.document.id)
    assert await ingest_document(clients, document_id) == "skipped (indexed)"
    second = await StoredDocument.get(result.document.id)
    assert first is not None
    assert second is not None
    assert (second.revision, second.state, second.text) == (first.revision, DocumentState.INDEXED, first.text)
    indexed = await clients.es.get(index=f"{clients.settings.es_index_prefix}-documents", id=document_id)
    assert indexed["_version"] == first.revision


async def test_a_replayed_older_revision_never_overwrites_the_index(
    clients: Clients, seeded: Clients
) -> None:
    from search.indexer import index_document

    data = f"Situasi kamtibmas aman {uuid.uuid4()}".encode()
    result = await upload_document(
        store=clients.store,
        dispatcher=NoDispatch(),
        max_bytes=clients.settings.max_upload_bytes,
        region_code="14.01",
        category=DocumentCategory.OTHER,
        principal=system_principal("tests"),
        file=IncomingFile(name="kamtibmas.txt", stream=io.BytesIO(data), size=len(data)),
    )
    await ingest_document(clients, str(result.document.id))
    current = await StoredDocument.get(result.document.id)
    assert current is not None
    stale = current.model_copy(update={"revision": current.revision - 1, "text": "teks lama"})
    assert await index_document(clients.es, clients.settings.es_index_prefix, stale) is False
    indexed = await clients.es.get(index=f"{clients.settings.es_index_prefix}-documents", id=str(current.id))
    assert indexed["_source"]["text"] == current.text
