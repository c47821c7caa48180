"""Celery tasks. Each takes an id, reloads, and is safe to run twice; only transient failures (a service
unreachable) are retried, with exponential backoff and a bound."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from celery import Task, shared_task
from elasticsearch import ConnectionError as ESConnectionError
from elasticsearch import TransportError
from minio.error import MinioException
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError
from urllib3.exceptions import HTTPError

from hub.audit.anchor import checkpoint_now
from hub.audit.linker import link_pending
from hub.backup.errors import BackupError, BackupErrorCode
from hub.backup.service import scheduled_backup
from hub.cases.escalation import escalate_overdue
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentState, StoredDocument
from hub.documents.purge import SweepMarker, purge_documents
from hub.early_warning.raising import raise_warnings
from hub.early_warning.service import Params as EarlyWarningParams
from hub.evidence.check import check_document_evidence, check_stale_evidence
from hub.reminders.run import ReminderPolicy, send_reminders
from hub.sync.backfill import backfill_updated_at
from hub.sync.tombstones import prune_tombstones
from hub.webhooks.delivery import DeliveryPolicy
from hub.webhooks.run import deliver_webhooks
from search.indexer import index_marked
from search.indexer import index_pending as index_pending_record
from search.kinds import KINDS, kind_named
from workers import runtime
from workers.ingest import index_pending, ingest_document
from workers.saved_searches import check_saved_searches_now

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
SWEEP_LIMIT = 20_000  # records of one kind indexed per sweep at most; the next sweep goes on


@shared_task(name="pantau.ingest_document", bind=True, **RETRY)
def ingest_document_task(self: Task[[str], str], document_id: str) -> str:
    outcome = runtime.run(lambda clients: ingest_document(clients, document_id))
    log.info("ingest %s: %s", document_id, outcome)
    return outcome


@shared_task(name="pantau.index_document", bind=True, **RETRY)
def index_document_task(self: Task[[str], str], document_id: str) -> str:
    return runtime.run(lambda clients: index_pending(clients, document_id))


@shared_task(name="pantau.check_evidence", bind=True, **RETRY)
def check_evidence_task(self: Task[[str], str], document_id: str) -> str:
    """Check a document's text against what the evidence it is attached as must show (hub.evidence.check):
    reloads by id, writes only what changed, so a second run is harmless; retried only on TRANSIENT errors."""
    run = runtime.run(lambda clients: check_document_evidence(document_id))
    return f"{run.pieces} pieces, {run.written} changed, {run.made} new"


@shared_task(name="pantau.index_record", bind=True, **RETRY)
def index_record_task(self: Task[[str, str], str], kind: str, record_id: str) -> str:
    """Index one report, case or document that a change marked `needs_index`."""
    record_kind = kind_named(kind)
    return runtime.run(
        lambda clients: index_pending_record(
            clients.es, clients.settings.es_index_prefix, record_kind, record_id
        )
    )


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
    counts = {
        "ingested": len(unextracted),
        "evidence_checked": await check_stale_evidence(stale, SWEEP_BATCH),
    }
    for kind in KINDS.values():
        outcome = await index_marked(
            clients.es, clients.settings.es_index_prefix, kind, batch=SWEEP_BATCH, limit=SWEEP_LIMIT
        )
        counts[f"indexed_{kind.name}"] = outcome.total - len(outcome.failed)
        counts[f"failed_{kind.name}"] = len(outcome.failed)
    return counts


@shared_task(name="pantau.sweep", bind=True, **RETRY)
def sweep_task(self: Task[[], dict[str, int]]) -> dict[str, int]:
    counts = runtime.run(_sweep)
    if any(counts.values()):
        log.info("sweep picked up %s", counts)
    return counts


async def _escalate(clients: Clients) -> int:
    grace = timedelta(days=clients.settings.case_escalation_grace_days)
    return len(await escalate_overdue(utcnow(), grace=grace))


@shared_task(name="pantau.escalate_cases", bind=True, **RETRY)
def escalate_cases_task(self: Task[[], int]) -> int:
    """Escalates overdue cases one level up the region tree; safe to run twice (see hub.cases.escalation)."""
    escalated = runtime.run(_escalate)
    if escalated:
        log.info("escalated %d overdue cases", escalated)
    return escalated


async def _purge_documents(clients: Clients) -> dict[str, int]:
    now = utcnow()
    marker = SweepMarker.for_settings(clients.redis, clients.settings)
    counts = await purge_documents(clients.store, clients.settings, now, marker=marker)
    # Tombstones past their retention go with the trash; notifications from before sync get `updated_at`.
    retention = timedelta(days=clients.settings.sync_tombstone_retention_days)
    return {
        **counts.as_dict(),
        "tombstones": await prune_tombstones(now, retention),
        "backfilled": await backfill_updated_at(),
    }


@shared_task(name="pantau.purge_documents", bind=True, **RETRY)
def purge_documents_task(self: Task[[], dict[str, int]]) -> dict[str, int]:
    """Empties the trash past its retention and removes expired presigned uploads; safe to run twice (see
    hub.documents.purge)."""
    counts = runtime.run(_purge_documents)
    if any(counts.values()):
        log.info("purged %s", counts)
    return counts


async def _check_saved_searches(clients: Clients) -> dict[str, int]:
    outcome = await check_saved_searches_now(clients, utcnow())
    return outcome.as_dict()


@shared_task(name="pantau.check_saved_searches", bind=True, **RETRY)
def check_saved_searches_task(self: Task[[], dict[str, int]]) -> dict[str, int]:
    """Notifies the owners of saved searches with new results, once per saved search and window; safe to
    run twice (see hub.searches.checks)."""
    counts = runtime.run(_check_saved_searches)
    if counts["notified"] or counts["failed"]:
        log.info("saved searches checked: %s", counts)
    return counts


async def _raise_early_warnings(clients: Clients, at: str | None) -> dict[str, int]:
    now = datetime.fromisoformat(at) if at else utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    outcome = await raise_warnings(now, EarlyWarningParams.of(clients.settings))
    return outcome.as_dict()


@shared_task(name="pantau.raise_early_warnings", bind=True, **RETRY)
def raise_early_warnings_task(
    self: Task[[str | None], dict[str, int]], at: str | None = None
) -> dict[str, int]:
    """Raises an event for each region whose recent incidents stand abnormally high against its baseline, at
    most once per region and window; safe to run twice (see hub.early_warning.raising). `at`: an ISO time
    to check as of (a backfill), default now."""
    counts = runtime.run(lambda clients: _raise_early_warnings(clients, at))
    if counts["raised"] or counts["completed"]:
        log.info("early warnings: %s", counts)
    return counts


async def _send_reminders(clients: Clients) -> dict[str, int]:
    outcome = await send_reminders(utcnow(), ReminderPolicy.from_settings(clients.settings))
    return outcome.as_dict()


@shared_task(name="pantau.send_reminders", bind=True, **RETRY)
def send_reminders_task(self: Task[[], dict[str, int]]) -> dict[str, int]:
    """Reminds regions' operators and coordinators of reports and documents due soon or overdue, in the app
    and by e-mail when SMTP is configured; once per user, thing and stage (see hub.reminders)."""
    counts = runtime.run(_send_reminders)
    if counts["notified"] or counts["reviews"] or counts["emailed"] or counts["email_failed"]:
        log.info("reminders: %s", counts)
    return counts


async def _deliver_webhooks(clients: Clients) -> dict[str, int]:
    return await deliver_webhooks(utcnow(), DeliveryPolicy.from_settings(clients.settings))


@shared_task(name="pantau.deliver_webhooks", bind=True, **RETRY)
def deliver_webhooks_task(self: Task[[], dict[str, int]]) -> dict[str, int]:
    """Turns new events into partner webhook deliveries and makes the attempts that are due; a failing
    partner is retried with backoff by later runs, not by Celery (see hub.webhooks)."""
    counts = runtime.run(_deliver_webhooks)
    if any(counts.values()):
        log.info("webhooks: %s", counts)
    return counts


async def _checkpoint_audit(clients: Clients) -> dict[str, int]:
    outcome = await checkpoint_now(clients.store)
    return {
        "broken": int(not outcome.result.ok),
        "written_seq": outcome.written.seq if outcome.written else 0,
    }


@shared_task(name="pantau.checkpoint_audit", bind=True, **RETRY)
def checkpoint_audit_task(self: Task[[], dict[str, int]]) -> dict[str, int]:
    """Checks the audit chain since the latest checkpoint and writes a signed checkpoint of its head to the
    object store; a broken chain is logged as an error and not checkpointed (see hub.audit.anchor)."""
    return runtime.run(_checkpoint_audit)


async def _backup(clients: Clients) -> str:
    try:
        return await scheduled_backup(clients)
    except BackupError as error:
        if error.code is not BackupErrorCode.BUSY:
            raise
        log.warning("backup skipped: %s", error.message)
        return "busy"


@shared_task(name="pantau.backup", bind=True)
def backup_task(self: Task[[], str]) -> str:
    """A backup to PANTAU_BACKUP_TARGET, then retention (see hub.backup.service). Not retried: a failure is
    logged for alerting and the next scheduled run tries again; one already running makes this one a no-op."""
    return runtime.run(_backup)


async def _link_audit(clients: Clients) -> dict[str, int]:
    return (await link_pending()).as_dict()


@shared_task(name="pantau.link_audit", bind=True, **RETRY)
def link_audit_task(self: Task[[], dict[str, int]]) -> dict[str, int]:
    """Links the audit entries waiting in changed documents into the chain: those requests left to it
    under load, and those a crash left between a change and its linking (see hub.audit.linker)."""
    counts = runtime.run(_link_audit)
    if counts["linked"] or counts["rejected"]:
        log.info("audit linker: %s", counts)
    return counts
