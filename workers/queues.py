"""The task queues and which task goes on which.

Three groups, so that long work never holds up short work: `ingest` (text extraction and OCR: seconds to
minutes per document; and the backup, hours), `index` (indexing, and the sweep that catches up lost ingest
and indexing work) and `periodic` (the scheduler's short jobs: webhooks every 10 s, reminders, escalation,
purges, checkpoints).
`pantau worker --queues …` consumes some of them; docker-compose runs one worker per group.

The periodic group's queue is PANTAU_CELERY_QUEUE itself, the others append `.ingest` and `.index` to it, so
each deployment (and each test session) still has queues of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hub.settings import Settings


class QueueGroup(StrEnum):
    INGEST = "ingest"
    INDEX = "index"
    PERIODIC = "periodic"


# Tasks not named here are periodic ones.
TASK_GROUPS: dict[str, QueueGroup] = {
    "pantau.ingest_document": QueueGroup.INGEST,
    "pantau.index_document": QueueGroup.INDEX,
    "pantau.index_record": QueueGroup.INDEX,
    "pantau.check_evidence": QueueGroup.INDEX,
    # Bulk catch-up work of unbounded length (it may extract lost documents itself): not among short jobs.
    "pantau.sweep": QueueGroup.INDEX,
    # Hours long: with the other long work (in docker-compose, the worker that has the backup volume).
    "pantau.backup": QueueGroup.INGEST,
}


def parse_groups(text: str) -> tuple[QueueGroup, ...]:
    """`ingest,index` → the groups, in order, without repeats; ValueError names an unknown one."""
    groups: list[QueueGroup] = []
    for item in filter(None, (part.strip().lower() for part in text.split(","))):
        try:
            group = QueueGroup(item)
        except ValueError:
            known = ", ".join(group.value for group in QueueGroup)
            raise ValueError(f"unknown queue group {item!r}; choose from {known}") from None
        if group not in groups:
            groups.append(group)
    if not groups:
        raise ValueError("name at least one queue group")
    return tuple(groups)


@dataclass(frozen=True)
class Queues:
    """The queue names of a deployment."""

    base: str

    @classmethod
    def of(cls, settings: Settings) -> Queues:
        return cls(settings.celery_queue)

    def name(self, group: QueueGroup) -> str:
        return self.base if group is QueueGroup.PERIODIC else f"{self.base}.{group.value}"

    def for_task(self, task: str) -> str:
        return self.name(TASK_GROUPS.get(task, QueueGroup.PERIODIC))

    def routes(self) -> dict[str, dict[str, str]]:
        """Celery's task_routes: where a task sent without a queue goes."""
        return {task: {"queue": self.name(group)} for task, group in TASK_GROUPS.items()}
