"""incidentUpdate: the author corrects a filed incident until it is reviewed, each correction kept."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from pydantic import ValidationError

from hub.reports.corrections import IncidentChanges, correct_incident
from hub.reports.errors import ReportError, ReportErrorCode
from hub.reports.models import PeopleInvolved
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID, EXPECTED_VERSION
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import ReportId, report_id
from schema.reports.mutations.incident_create import PeopleInvolvedInput
from schema.reports.payloads import ReportPayload
from schema.reports.types import IncidentCategory, RiskLevel


@strawberry.input(description="Corrections to a filed incident; fields left out stay as they are.")
class IncidentUpdateInput:
    title: str | None = strawberry.field(default=None, description="A new title; not empty.")
    chronology: str | None = strawberry.field(default=None, description="What happened, in order; not empty.")
    response: str | None = strawberry.field(default=None, description="What was done about it.")
    category: IncidentCategory | None = strawberry.field(default=None, description="What kind of incident.")
    severity: RiskLevel | None = strawberry.field(
        default=None, description="How serious it was; the report's risk level follows."
    )
    occurred_at: datetime | None = strawberry.field(default=None, description="When; not in the future.")
    place: str | None = strawberry.field(default=None, description="Where, in words.")
    latitude: float | None = strawberry.field(default=None, description="Where: latitude, -90 to 90.")
    longitude: float | None = strawberry.field(default=None, description="Where: longitude, -180 to 180.")
    people: PeopleInvolvedInput | None = strawberry.field(
        default=None, description="How many people it involved (all four counts, replacing the earlier ones)."
    )
    follow_up: str | None = strawberry.field(
        default=None, description="What is planned next (tindak lanjut)."
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


def _people(given: PeopleInvolvedInput | None) -> PeopleInvolved | None:
    if given is None:
        return None
    try:
        return PeopleInvolved(
            participants=given.participants, injured=given.injured, dead=given.dead, arrested=given.arrested
        )
    except ValidationError as error:
        problem = error.errors()[0]
        field = "people." + ".".join(str(part) for part in problem["loc"])
        raise ReportError(ReportErrorCode.INVALID_VALUE, f"{field}: {problem['msg']}", field) from None


async def incident_update(
    info: Info,
    id: ReportId,
    input: Annotated[IncidentUpdateInput, strawberry.argument(description="What to correct.")],
) -> ReportPayload:
    """Correct a filed incident (its author, until it is reviewed); a retry changes nothing more."""
    try:
        changes = IncidentChanges(
            title=input.title,
            chronology=input.chronology,
            response=input.response,
            category=input.category,
            severity=input.severity,
            occurred_at=input.occurred_at,
            place=input.place,
            latitude=input.latitude,
            longitude=input.longitude,
            people=_people(input.people),
            follow_up=input.follow_up,
        )
        report = await correct_incident(
            info.context.principal,
            report_id(id),
            changes,
            expected_version=input.expected_version,
            client_mutation_id=input.client_mutation_id,
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error), input.client_mutation_id)
    return ReportPayload.of(report, client_mutation_id=input.client_mutation_id)
