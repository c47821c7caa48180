"""Escalation of overdue cases: one level per grace period, once however often or concurrently it runs, and
through the real Celery worker.

Each test moves its own case to a different era in the past and passes `now` accordingly, so one test's run
never reaches another test's case.
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta
from pathlib import Path

from beanie import PydanticObjectId

from hub.audit.models import AuditEntry
from hub.cases.escalation import escalate_overdue
from hub.cases.models import Case, CaseCategory, CaseStatus
from hub.clients import Clients
from hub.core.clock import storable_time, utcnow
from hub.regions.services import get_region
from hub.reports.models import RiskLevel
from hub.settings import Settings
from tests.case_factories import NODE
from tests.conftest import Account
from tests.graphql import Client, global_id, gql_field_as
from workers.celery_app import create_celery

GRACE = timedelta(days=7)


def _era() -> datetime:
    """A moment years ago, different for each test."""
    return storable_time(
        utcnow() - timedelta(days=random.randint(3_000, 30_000), hours=random.randint(0, 23))
    )


async def _overdue_case(seeded: Clients, due_at: datetime, region: str = "31.74") -> Case:
    found = await get_region(region)
    assert found is not None
    case = Case(
        region_code=region,
        region_path=found.subtree_codes,
        title="Gudang logistik belum tersedia",
        description="",
        category=CaseCategory.LOGISTICS,
        severity=RiskLevel.HIGH,
        due_at=due_at,
        opened_by="user:operator-31.74",
        needs_index=False,
    )
    await case.insert()
    return case


async def _reload(case_id: PydanticObjectId | None) -> Case:
    assert case_id is not None
    case = await Case.get(case_id)
    assert case is not None
    return case


async def test_escalates_once_per_level_up_to_the_root(
    seeded: Clients, client_for: Client, accounts: dict[str, Account]
) -> None:
    due = _era()
    case = await _overdue_case(seeded, due)
    first_run = due + timedelta(hours=1)

    await escalate_overdue(first_run, grace=GRACE)
    once = await _reload(case.id)
    assert (once.escalated_to, once.version, once.needs_index) == ("31", 2, True)
    assert once.due_at == first_run + GRACE
    assert [(entry.from_region, entry.to_region) for entry in once.escalations] == [("31.74", "31")]

    await escalate_overdue(first_run, grace=GRACE)  # the same run again: nothing more
    await escalate_overdue(first_run + GRACE - timedelta(minutes=1), grace=GRACE)  # still within the grace
    assert (await _reload(case.id)).model_dump() == once.model_dump()

    second_run = first_run + GRACE + timedelta(minutes=1)
    await escalate_overdue(second_run, grace=GRACE)
    twice = await _reload(case.id)
    assert (twice.escalated_to, twice.version, twice.due_at) == ("ID", 3, second_run + GRACE)
    assert [(entry.from_region, entry.to_region) for entry in twice.escalations] == [
        ("31.74", "31"),
        ("31", "ID"),
    ]

    await escalate_overdue(second_run + 3 * GRACE, grace=GRACE)  # the national root has nothing above it
    assert (await _reload(case.id)).model_dump() == twice.model_dump()

    audit = await AuditEntry.find({"target": f"Case:{case.id}"}).sort("seq").to_list()
    assert [(entry.actor, entry.action, entry.change["to"]) for entry in audit] == [
        ("system:escalation", "case.escalate", "31"),
        ("system:escalation", "case.escalate", "ID"),
    ]
    node = await gql_field_as(
        client_for, accounts["leader-31"].token, NODE, {"id": global_id("Case", case.id)}, "node"
    )
    assert node["escalatedTo"] == {"code": "ID"}
    assert [(e["fromRegion"]["code"], e["toRegion"]["code"]) for e in node["escalations"]] == [
        ("31.74", "31"),
        ("31", "ID"),
    ]


async def test_concurrent_runs_escalate_once(seeded: Clients) -> None:
    due = _era()
    case = await _overdue_case(seeded, due, region="11.01")
    now = due + timedelta(minutes=5)
    await asyncio.gather(*(escalate_overdue(now, grace=GRACE) for _ in range(4)))
    escalated = await _reload(case.id)
    assert (escalated.escalated_to, escalated.version, len(escalated.escalations)) == ("11", 2, 1)
    assert await AuditEntry.find({"target": f"Case:{case.id}"}).count() == 1


async def test_resolved_and_not_yet_due_cases_stay_put(seeded: Clients) -> None:
    due = _era()
    resolved = await _overdue_case(seeded, due)
    await Case.get_pymongo_collection().update_one(
        {"_id": resolved.id}, {"$set": {"status": CaseStatus.RESOLVED.value}}
    )
    not_due = await _overdue_case(seeded, due + timedelta(days=1))
    national = await _overdue_case(seeded, due, region="ID")
    await escalate_overdue(due + timedelta(hours=1), grace=GRACE)
    for case in (resolved, not_due, national):
        reloaded = await _reload(case.id)
        assert (reloaded.escalated_to, reloaded.version) == (None, 1)


async def test_the_worker_task_escalates_overdue_cases(
    seeded: Clients, settings: Settings, worker: Path
) -> None:
    case = await _overdue_case(seeded, storable_time(utcnow() - timedelta(hours=2)), region="31.71")
    celery = create_celery(settings)
    await asyncio.to_thread(celery.send_task, "pantau.escalate_cases", queue=settings.celery_queue)
    deadline = asyncio.get_running_loop().time() + 30
    while (escalated := await _reload(case.id)).escalated_to is None:
        if asyncio.get_running_loop().time() > deadline:
            log_text = await asyncio.to_thread(worker.read_text)
            raise AssertionError(f"not escalated; worker log:\n{log_text[-3000:]}")
        await asyncio.sleep(0.3)
    assert escalated.escalated_to == "31"
    grace = timedelta(days=settings.case_escalation_grace_days)
    assert utcnow() + grace - timedelta(minutes=5) < escalated.due_at <= utcnow() + grace
    audit = await AuditEntry.find_one({"target": f"Case:{case.id}", "action": "case.escalate"})
    assert audit is not None
    assert audit.actor == "system:escalation"


def test_the_scheduler_runs_escalation_hourly(settings: Settings) -> None:
    entry = create_celery(settings).conf.beat_schedule["escalate-cases"]
    assert entry["task"] == "pantau.escalate_cases"
    assert entry["schedule"] == settings.case_escalation_interval_seconds == 3600
    assert entry["options"]["queue"] == settings.celery_queue
