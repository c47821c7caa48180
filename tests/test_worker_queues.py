"""Separate queues: long OCR work on the ingest queue no longer holds up the short periodic jobs (the webhook
drain runs every 10 s), and a worker consumes only the queue groups it is given."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hub.access.principal import system_principal
from hub.clients import Clients
from hub.dispatch import NoDispatch
from hub.documents.models import DocumentCategory, DocumentState, StoredDocument
from hub.documents.upload import IncomingFile, upload_document
from hub.settings import Settings
from tests.faults import drop_queue
from tests.files import pdf_of_pages, scanned_page
from tests.processes import WorkerProcess, start_worker
from workers.celery_app import CeleryDispatcher, create_celery
from workers.queues import QueueGroup, Queues, parse_groups

SCANNED_PAGES = 12  # OCR of each takes a second or more: the ingest worker is busy for a good while


@pytest.fixture
async def own(settings: Settings, seeded: Clients) -> AsyncIterator[Settings]:
    """Settings with queues of their own, emptied afterwards."""
    mine = settings.model_copy(
        update={"celery_queue": f"{settings.celery_queue}-groups-{uuid.uuid4().hex[:6]}"}
    )
    yield mine
    await drop_queue(seeded.redis, mine.celery_queue)


async def _eventually_in_log(worker: WorkerProcess, text: str, seconds: float = 90) -> None:
    for _ in range(int(seconds * 10)):
        if text in worker.text():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} not in the worker's log:\n{worker.text()[-3000:]}")


def test_queue_names_and_groups() -> None:
    queues = Queues("pantau")
    assert queues.for_task("pantau.ingest_document") == "pantau.ingest"
    assert queues.for_task("pantau.index_record") == "pantau.index"
    assert queues.for_task("pantau.sweep") == "pantau.index"
    assert queues.for_task("pantau.deliver_webhooks") == "pantau"  # periodic: the configured queue itself
    assert parse_groups(" ingest, periodic,ingest") == (QueueGroup.INGEST, QueueGroup.PERIODIC)
    with pytest.raises(ValueError, match="unknown queue group 'ocr'"):
        parse_groups("ingest,ocr")


async def test_a_busy_ocr_worker_does_not_hold_up_the_webhook_job(
    own: Settings, seeded: Clients, tmp_path: Path
) -> None:
    pages = [scanned_page(f"Halaman {number} notulen rapat Forkopimda") for number in range(SCANNED_PAGES)]
    data = pdf_of_pages(*pages)
    stored = await upload_document(
        store=seeded.store,
        dispatcher=NoDispatch(),
        max_bytes=seeded.settings.max_upload_bytes,
        region_code="31.74",
        category=DocumentCategory.MINUTES,
        principal=system_principal("tests"),
        file=IncomingFile(name="pindaian.pdf", stream=io.BytesIO(data), size=len(data)),
    )
    document_id = str(stored.document.id)
    ocr = await asyncio.to_thread(start_worker, own, tmp_path / "ingest.log", queues="ingest")
    periodic = await asyncio.to_thread(start_worker, own, tmp_path / "periodic.log", queues="periodic")
    try:
        celery = create_celery(own)
        await asyncio.to_thread(CeleryDispatcher(celery, Queues.of(own)).ingest_document, document_id)
        await _eventually_in_log(ocr, "pantau.ingest_document[")  # the OCR worker (concurrency 1) is busy
        sent = await asyncio.to_thread(celery.send_task, "pantau.deliver_webhooks", queue=own.celery_queue)
        await _eventually_in_log(periodic, f"pantau.deliver_webhooks[{sent.id}] succeeded")
        # The webhook job ran while the OCR task was still at work on its pages.
        document = await StoredDocument.get(stored.document.id)
        assert document is not None and document.state is DocumentState.STORED
        assert "pantau.ingest_document[" not in periodic.text()
        assert "pantau.deliver_webhooks[" not in ocr.text()
    finally:
        await asyncio.to_thread(ocr.kill)  # no need to finish the OCR
        await asyncio.to_thread(periodic.stop)


async def test_the_worker_refuses_an_unknown_queue_group(own: Settings, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="unknown queue group 'fast'"):
        await asyncio.to_thread(start_worker, own, tmp_path / "bad.log", queues="fast", timeout=30)
