"""Corrections by an incident's author before review (incidentUpdate): what happened, where, when, how many,
the title and the narratives. Each correction that changes something is kept on the incident with its
author, time and the values before and after; one that changes nothing, or a retry of the same request
(`clientMutationId`), answers the incident as it is and records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from hub.access.principal import Principal
from hub.audit.pending import pending_entry
from hub.audit.values import before_after
from hub.core.clock import storable_time, utcnow
from hub.core.idempotency import request_key
from hub.reports.access import apply_update, load_report
from hub.reports.attachments import check_correctable
from hub.reports.errors import ReportError, ReportErrorCode
from hub.reports.models import (
    IncidentCategory,
    IncidentCorrection,
    IncidentDetails,
    PeopleInvolved,
    Report,
    RiskLevel,
)

INCIDENT_UPDATE = "incident.update"  # the kind of change its idempotency keys name


@dataclass(frozen=True)
class IncidentChanges:
    """What the author corrects; None leaves a part as it is."""

    title: str | None = None
    chronology: str | None = None
    response: str | None = None
    category: IncidentCategory | None = None
    severity: RiskLevel | None = None
    occurred_at: datetime | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    people: PeopleInvolved | None = None
    follow_up: str | None = None

    def details(self) -> dict[str, Any]:
        given = {
            "category": self.category,
            "severity": self.severity,
            "occurred_at": storable_time(self.occurred_at) if self.occurred_at else None,
            "place": self.place,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "people": self.people,
            "follow_up": self.follow_up,
        }
        return {name: value for name, value in given.items() if value is not None}


def _corrected_details(report: Report, changes: IncidentChanges) -> IncidentDetails:
    assert report.incident is not None
    merged = report.incident.model_dump() | changes.details()
    try:
        details = IncidentDetails.model_validate(merged)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"])
        raise ReportError(ReportErrorCode.INVALID_VALUE, f"{field}: {problem['msg']}", field) from None
    if changes.occurred_at is not None and details.occurred_at > utcnow():
        raise ReportError(
            ReportErrorCode.INVALID_VALUE, "the incident cannot happen in the future", "occurredAt"
        )
    return details


def _narratives(report: Report, changes: IncidentChanges) -> dict[str, str]:
    narratives = dict(report.narratives)
    if changes.chronology is not None:
        if not changes.chronology.strip():
            raise ReportError(ReportErrorCode.REQUIRED, "the chronology cannot be empty", "chronology")
        narratives["chronology"] = changes.chronology
    if changes.response is not None:
        narratives["response"] = changes.response
    return narratives


def _comparable(report: Report) -> dict[str, Any]:
    assert report.incident is not None
    return {
        "title": report.title,
        "narratives": dict(report.narratives),
        "incident": report.incident.model_dump(mode="python"),
        "risk_level": report.risk_level,
    }


async def correct_incident(
    principal: Principal,
    report_id: str,
    changes: IncidentChanges,
    *,
    expected_version: int | None = None,
    client_mutation_id: str | None = None,
) -> Report:
    report = await load_report(principal, report_id)
    key = request_key(INCIDENT_UPDATE, principal.actor, client_mutation_id)
    if key is not None and any(entry.request_key == key for entry in report.corrections):
        return report  # the same request, retried: it was applied once
    check_correctable(principal, report)
    if expected_version is not None and expected_version != report.version:
        raise ReportError(ReportErrorCode.CONFLICT, "the report was changed meanwhile; reload and try again")
    if changes.title is not None and not changes.title.strip():
        raise ReportError(ReportErrorCode.REQUIRED, "the title cannot be empty", "title")
    details = _corrected_details(report, changes)
    wanted = {
        "title": changes.title if changes.title is not None else report.title,
        "narratives": _narratives(report, changes),
        "incident": details.model_dump(mode="python"),
        "risk_level": details.severity,
    }
    difference = before_after(_comparable(report), wanted)
    if not difference["fields"]:
        return report  # nothing to correct: no history entry, no new version
    entry = IncidentCorrection(
        actor=principal.actor,
        at=storable_time(utcnow()),
        fields=difference["fields"],
        before=difference["before"],
        after=difference["after"],
        request_key=key,
    )
    audit = pending_entry(principal.actor, INCIDENT_UPDATE, f"Report:{report.id}", difference)
    stored = {**wanted, "risk_level": details.severity.value}
    stored["incident"] = details.model_dump(mode="json") | {"occurred_at": details.occurred_at}
    return await apply_update(report, stored, audit=audit, push={"corrections": entry.model_dump()})
