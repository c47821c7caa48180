"""The Celery application, built from settings. The worker and scheduler entry points use it; the web app
only sends messages through `CeleryDispatcher`."""

from __future__ import annotations

from typing import Any

from celery import Celery

from hub.redis_connect import broker_sentinel_options
from hub.settings import Settings
from workers.queues import Queues

UNACKED_RESTORE_INTERVAL_SECONDS = 10


def broker_transport_options(settings: Settings) -> dict[str, Any]:
    """How the Redis transport gets back the message of a worker that died mid-task.

    A worker keeps each message it took as "unacked" until the task is over (acks_late). If the whole worker
    dies first (SIGKILL, out of memory, power loss; a dead pool child alone is handled at once by
    `task_reject_on_worker_lost`), the message goes back to the queue once it has been out for the visibility
    timeout (see Settings.broker_visibility_timeout for why it outlasts the time limit and retries). Workers
    look for such messages every UNACKED_RESTORE_INTERVAL_SECONDS (kombu's default looks every 100 s), so a
    lost task runs again at most that long after its visibility timeout. The unacked messages are kept under
    this queue's own keys: deployments or test sessions sharing one Redis database, each with its own
    timeout, never hand out each other's running tasks.
    """
    queue = settings.celery_queue
    return {
        "visibility_timeout": settings.broker_visibility_timeout,
        "unacked_key": f"{queue}.unacked",
        "unacked_index_key": f"{queue}.unacked_index",
        "unacked_mutex_key": f"{queue}.unacked_mutex",
        "unacked_restore_interval": UNACKED_RESTORE_INTERVAL_SECONDS,
        "unacked_restore_throttle": 1,
        # sentinel:// brokers: the master's name (and the sentinels' password).
        **broker_sentinel_options(settings),
    }


def create_celery(settings: Settings) -> Celery:
    queues = Queues.of(settings)
    periodic = settings.celery_queue
    app = Celery("pantau", broker=settings.redis_url, include=["workers.tasks", "workers.notifications"])
    app.conf.update(
        task_default_queue=periodic,
        task_routes=queues.routes(),
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_time_limit=settings.task_time_limit_seconds,
        task_soft_time_limit=settings.task_soft_time_limit_seconds,
        worker_prefetch_multiplier=1,
        worker_max_memory_per_child=1_000_000,  # KiB: a child that grew past ~1 GB is replaced
        broker_connection_retry_on_startup=True,
        # A web request that queues work must not hang on a broker outage: the sweep catches up.
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
        broker_transport_options=broker_transport_options(settings),
        beat_schedule={
            "sweep": {
                "task": "pantau.sweep",
                "schedule": settings.sweep_interval_seconds,
                "options": {
                    "queue": queues.for_task("pantau.sweep"),
                    "expires": settings.sweep_interval_seconds,
                },
            },
            "escalate-cases": {
                "task": "pantau.escalate_cases",
                "schedule": settings.case_escalation_interval_seconds,
                "options": {
                    "queue": periodic,
                    "expires": settings.case_escalation_interval_seconds,
                },
            },
            "purge-documents": {
                "task": "pantau.purge_documents",
                "schedule": settings.trash_purge_interval_seconds,
                "options": {"queue": periodic, "expires": settings.trash_purge_interval_seconds},
            },
            "check-saved-searches": {
                "task": "pantau.check_saved_searches",
                "schedule": settings.saved_search_interval_seconds,
                "options": {
                    "queue": periodic,
                    "expires": settings.saved_search_interval_seconds,
                },
            },
            "raise-early-warnings": {
                "task": "pantau.raise_early_warnings",
                "schedule": settings.early_warning_interval_seconds,
                "options": {
                    "queue": periodic,
                    "expires": settings.early_warning_interval_seconds,
                },
            },
            "send-reminders": {
                "task": "pantau.send_reminders",
                "schedule": settings.reminder_interval_seconds,
                "options": {"queue": periodic, "expires": settings.reminder_interval_seconds},
            },
            "checkpoint-audit": {
                "task": "pantau.checkpoint_audit",
                "schedule": settings.audit_checkpoint_interval_seconds,
                "options": {
                    "queue": periodic,
                    "expires": settings.audit_checkpoint_interval_seconds,
                },
            },
            "link-audit": {
                "task": "pantau.link_audit",
                "schedule": settings.audit_link_interval_seconds,
                "options": {
                    "queue": periodic,
                    "expires": settings.audit_link_interval_seconds,
                },
            },
            "notify-events": {
                "task": "pantau.notify_events",
                "schedule": settings.notification_sweep_interval_seconds,
                "options": {"queue": periodic, "expires": settings.notification_sweep_interval_seconds},
            },
            "email-digests": {
                "task": "pantau.email_digests",
                "schedule": settings.email_digest_interval_seconds,
                "options": {"queue": periodic, "expires": settings.email_digest_interval_seconds},
            },
            "deliver-webhooks": {
                "task": "pantau.deliver_webhooks",
                "schedule": settings.webhook_interval_seconds,
                "options": {"queue": periodic, "expires": settings.webhook_interval_seconds},
            },
        },
        timezone="UTC",
    )
    if settings.backup_target:
        app.conf.beat_schedule["backup"] = backup_schedule(settings)
    return app


def backup_schedule(settings: Settings) -> dict[str, Any]:
    """The periodic backup (only with PANTAU_BACKUP_TARGET set). It may run for hours: its own time limits,
    and a second delivery of its message (after the broker's visibility timeout) finds the lease taken."""
    limit = settings.backup_time_limit_seconds
    return {
        "task": "pantau.backup",
        "schedule": settings.backup_interval_seconds,
        "options": {
            "queue": Queues.of(settings).for_task("pantau.backup"),
            "expires": settings.backup_interval_seconds,
            "time_limit": limit,
            "soft_time_limit": limit - min(60, limit / 5),
        },
    }


class CeleryDispatcher:
    """Fills hub.dispatch.TaskDispatcher with Celery messages, each on its task's queue (workers.queues)."""

    def __init__(self, app: Celery, queues: Queues) -> None:
        self.app = app
        self.queues = queues

    def _send(self, task: str, *args: str) -> None:
        self.app.send_task(task, args=list(args), queue=self.queues.for_task(task))

    def ingest_document(self, document_id: str) -> None:
        self._send("pantau.ingest_document", document_id)

    def index_document(self, document_id: str) -> None:
        self._send("pantau.index_document", document_id)

    def index_record(self, kind: str, record_id: str) -> None:
        self._send("pantau.index_record", kind, record_id)

    def notify_event(self, event_id: str) -> None:
        self._send("pantau.notify_event", event_id)

    def check_evidence(self, document_id: str) -> None:
        self._send("pantau.check_evidence", document_id)
