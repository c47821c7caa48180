"""Events a report announces: an incident filed, a report moved along the review path."""

from __future__ import annotations

from hub.events.bus import emit
from hub.events.models import EventKind
from hub.reports.models import Report


async def announce_incident(report: Report, actor: str) -> None:
    details = report.incident
    await emit(
        EventKind.INCIDENT_CREATED,
        target_type="Report",
        target_id=str(report.id),
        region_code=report.region_code,
        region_path=report.region_path,
        report_type=report.type.value,
        actor=actor,
        data={
            "title": report.title,
            "category": details.category.value if details else None,
            "severity": details.severity.value if details else None,
            "occurredAt": details.occurred_at.isoformat() if details else None,
        },
    )


async def announce_status(report: Report, previous: str, actor: str) -> None:
    await emit(
        EventKind.REPORT_STATUS_CHANGED,
        target_type="Report",
        target_id=str(report.id),
        region_code=report.region_code,
        region_path=report.region_path,
        report_type=report.type.value,
        actor=actor,
        data={
            "title": report.title,
            "from": previous,
            "to": report.status.value,
            "period": report.period_key if report.period else None,
        },
    )
