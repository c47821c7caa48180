"""The Celery application, built from settings. The worker and scheduler entry points use it; the web app
only sends messages through `CeleryDispatcher`."""

from __future__ import annotations

from celery import Celery

from hub.settings import Settings


def create_celery(settings: Settings) -> Celery:
    app = Celery("pantau", broker=settings.redis_url, include=["workers.tasks"])
    app.conf.update(
        task_default_queue=settings.celery_queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_time_limit=settings.task_time_limit_seconds,
        task_soft_time_limit=max(settings.task_time_limit_seconds - 30, 1),
        worker_prefetch_multiplier=1,
        worker_max_memory_per_child=1_000_000,  # KiB: a child that grew past ~1 GB is replaced
        broker_connection_retry_on_startup=True,
        # A web request that queues work must not hang on a broker outage: the sweep catches up.
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
        broker_transport_options={"visibility_timeout": settings.task_time_limit_seconds * 2},
        beat_schedule={
            "sweep": {
                "task": "pantau.sweep",
                "schedule": settings.sweep_interval_seconds,
                "options": {"queue": settings.celery_queue, "expires": settings.sweep_interval_seconds},
            },
            "escalate-cases": {
                "task": "pantau.escalate_cases",
                "schedule": settings.case_escalation_interval_seconds,
                "options": {
                    "queue": settings.celery_queue,
                    "expires": settings.case_escalation_interval_seconds,
                },
            },
            "purge-documents": {
                "task": "pantau.purge_documents",
                "schedule": settings.trash_purge_interval_seconds,
                "options": {"queue": settings.celery_queue, "expires": settings.trash_purge_interval_seconds},
            },
        },
        timezone="UTC",
    )
    return app


class CeleryDispatcher:
    """Fills hub.dispatch.TaskDispatcher with Celery messages."""

    def __init__(self, app: Celery, queue: str) -> None:
        self.app = app
        self.queue = queue

    def ingest_document(self, document_id: str) -> None:
        self.app.send_task("pantau.ingest_document", args=[document_id], queue=self.queue)

    def index_document(self, document_id: str) -> None:
        self.app.send_task("pantau.index_document", args=[document_id], queue=self.queue)

    def index_record(self, kind: str, record_id: str) -> None:
        self.app.send_task("pantau.index_record", args=[kind, record_id], queue=self.queue)
