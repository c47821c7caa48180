"""Escalation of overdue cases up the region tree, run by a periodic worker task.

An open case past its due date is escalated one level: first to its region's parent, and when it is overdue
again after the grace period, to the parent of that region, up to the national root. Each escalation extends
the due date by the grace period, and is one conditional update on the version that was read, so running
twice, or in two workers at once, escalates once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hub.audit.linker import complete
from hub.audit.pending import pending_entry, push_pending
from hub.cases.events import announce
from hub.cases.models import Case, Escalation
from hub.cases.rules import OPEN_STATUSES
from hub.core.clock import storable_time

log = logging.getLogger(__name__)
ACTOR = "system:escalation"
DEFAULT_GRACE = timedelta(days=7)


@dataclass(frozen=True)
class Escalated:
    case_id: str
    from_region: str
    to_region: str
    due_at: datetime


def next_level(case: Case) -> tuple[str, str] | None:
    """(from, to): the region the case is at now and the one above it; None at the national root.

    `region_path` lists the owning region's ancestors root first, so the level above any of them is the
    code just before it.
    """
    current = case.escalated_to or case.region_code
    path = case.region_path
    if current not in path:
        return None
    position = path.index(current)
    return (current, path[position - 1]) if position > 0 else None


def overdue_criteria(now: datetime) -> dict[str, Any]:
    return {"status": {"$in": [status.value for status in OPEN_STATUSES]}, "due_at": {"$lt": now}}


async def escalate_case(case: Case, now: datetime, grace: timedelta) -> Escalated | None:
    """Escalates one case a level, or does nothing when it is not overdue, already at the top, or was
    changed since it was read."""
    step = next_level(case)
    if step is None or case.status not in OPEN_STATUSES or case.due_at >= now:
        return None
    from_region, to_region = step
    due_at = storable_time(max(case.due_at, now) + grace)
    entry = Escalation(
        at=storable_time(now),
        from_region=from_region,
        to_region=to_region,
        reason=f"overdue since {case.due_at:%Y-%m-%d %H:%M} UTC",
    )
    audit = pending_entry(
        ACTOR,
        "case.escalate",
        f"Case:{case.id}",
        {"from": from_region, "to": to_region, "due_at": due_at, "reason": entry.reason},
    )
    result = await Case.get_pymongo_collection().update_one(
        {"_id": case.id, "version": case.version, **overdue_criteria(now)},
        {
            "$set": {
                "escalated_to": to_region,
                "due_at": due_at,
                "needs_index": True,
                "updated_at": storable_time(now),
            },
            "$push": {"escalations": entry.model_dump(), **push_pending(audit)},
            "$inc": {"version": 1},
        },
    )
    if result.modified_count != 1:
        return None
    await complete(Case, case.id, audit)
    await announce(case, "escalated", ACTOR, escalatedTo=to_region)
    return Escalated(str(case.id), from_region, to_region, due_at)


async def escalate_overdue(now: datetime, *, grace: timedelta = DEFAULT_GRACE) -> list[Escalated]:
    """Escalates every overdue open case one level; returns what was escalated."""
    escalated = []
    async for case in Case.find(overdue_criteria(now)).sort("_id"):
        outcome = await escalate_case(case, now, grace)
        if outcome is not None:
            log.info(
                "case %s escalated from %s to %s", outcome.case_id, outcome.from_region, outcome.to_region
            )
            escalated.append(outcome)
    return escalated
