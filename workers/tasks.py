"""Celery tasks. Each takes an id, reloads, and is safe to run twice; only transient failures (a service
unreachable) are retried, with exponential backoff and a bound."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from elasticsearch import ConnectionError as ESConnectionError
from elasticsearch import TransportError
from minio.error import MinioException
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError
from urllib3.exceptions import HTTPError

from hub.cases.escalation import escalate_overdue
from hub.clients import Clients
from hub.documents.models import DocumentState, StoredDocument, utcnow
from workers import runtime
from workers.ingest import index_pending, ingest_document

log = logging.getLogger(__name__)

TRANSIENT: tuple[type[BaseException], ...] = (
    AutoReconnect,
    ServerSelectionTimeoutError,
    ESConnectionError,
    TransportError,
    MinioException,
    HTTPError,
    ConnectionError,
    TimeoutError,
)
RETRY: dict[str, Any] = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}
STALE_AFTER = timedelta(minutes=2)
SWEEP_BATCH = 500


@shared_task(name="pantau.ingest_document", bind=True, **RETRY)
def ingest_document_task(self: Task, document_id: str) -> str:
    outcome = runtime.run(lambda clients: ingest_document(clients, document_id))
    log.info("ingest %s: %s", document_id, outcome)
    return outcome


@shared_task(name="pantau.index_document", bind=True, **RETRY)
def index_document_task(self: Task, document_id: str) -> str:
    return runtime.run(lambda clients: index_pending(clients, document_id))


async def _sweep(clients: Clients) -> dict[str, int]:
    """Finds work a lost message left behind and does it here, in bounded batches."""
    stale = utcnow() - STALE_AFTER
    unextracted = (
        await StoredDocument.find({"state": DocumentState.STORED.value, "updated_at": {"$lt": stale}})
        .limit(SWEEP_BATCH)
        .to_list()
    )
    for document in unextracted:
        await ingest_document(clients, str(document.id))
    unindexed = await StoredDocument.find({"needs_index": True}).limit(SWEEP_BATCH).to_list()
    for document in unindexed:
        await index_pending(clients, str(document.id))
    return {"ingested": len(unextracted), "indexed": len(unindexed)}


@shared_task(name="pantau.sweep", bind=True, **RETRY)
def sweep_task(self: Task) -> dict[str, int]:
    counts = runtime.run(_sweep)
    if any(counts.values()):
        log.info("sweep picked up %s", counts)
    return counts


async def _escalate(clients: Clients) -> int:
    grace = timedelta(days=clients.settings.case_escalation_grace_days)
    return len(await escalate_overdue(utcnow(), grace=grace))


@shared_task(name="pantau.escalate_cases", bind=True, **RETRY)
def escalate_cases_task(self: Task) -> int:
    """Escalates overdue cases one level up the region tree; safe to run twice (see hub.cases.escalation)."""
    escalated = runtime.run(_escalate)
    if escalated:
        log.info("escalated %d overdue cases", escalated)
    return escalated
