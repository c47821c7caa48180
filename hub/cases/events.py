"""The `case.updated` event every case change announces (live subscribers, partner webhooks)."""

from __future__ import annotations

from hub.cases.models import Case
from hub.events.bus import emit
from hub.events.models import EventKind


async def announce(case: Case, change: str, actor: str, **extra: object) -> None:
    await emit(
        EventKind.CASE_UPDATED,
        target_type="Case",
        target_id=str(case.id),
        region_code=case.region_code,
        region_path=case.region_path,
        actor=actor,
        data={
            "change": change,
            "title": case.title,
            "category": case.category.value,
            "severity": case.severity.value,
            "status": case.status.value,
            **extra,
        },
    )
