from __future__ import annotations

from datetime import datetime

import strawberry
from pydantic import ValidationError
from strawberry import relay

from hub.reports.errors import ReportError, ReportErrorCode
from hub.reports.models import IncidentDetails, PeopleInvolved
from hub.reports.services import Content, create_incident
from schema.context import Info
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import region_code
from schema.reports.payloads import ReportPayload
from schema.reports.types import IncidentCategory, RiskLevel


@strawberry.input
class PeopleInvolvedInput:
    participants: int = 0
    injured: int = 0
    dead: int = 0
    arrested: int = 0


@strawberry.input
class IncidentCreateInput:
    region: relay.GlobalID
    category: IncidentCategory
    severity: RiskLevel
    occurred_at: datetime
    chronology: str = strawberry.field(description="What happened, in order.")
    title: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    people: PeopleInvolvedInput | None = None
    response: str | None = strawberry.field(default=None, description="What was done about it.")
    follow_up: str | None = None
    election: relay.GlobalID | None = None
    stage_code: str | None = None
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Set by the client; a retry with the same value returns the first incident."
    )


def _invalid(error: ValidationError, prefix: str = "") -> ReportError:
    problem = error.errors()[0]
    field = prefix + ".".join(str(part) for part in problem["loc"])
    return ReportError(ReportErrorCode.INVALID_VALUE, f"{field}: {problem['msg']}", field)


def _details(given: IncidentCreateInput) -> IncidentDetails:
    people = given.people or PeopleInvolvedInput()
    try:
        counted = PeopleInvolved(
            participants=people.participants,
            injured=people.injured,
            dead=people.dead,
            arrested=people.arrested,
        )
    except ValidationError as error:
        raise _invalid(error, "people.") from None
    try:
        return IncidentDetails(
            category=given.category,
            severity=given.severity,
            occurred_at=given.occurred_at,
            place=given.place,
            latitude=given.latitude,
            longitude=given.longitude,
            people=counted,
            follow_up=given.follow_up,
        )
    except ValidationError as error:
        raise _invalid(error) from None


async def incident_create(info: Info, input: IncidentCreateInput) -> ReportPayload:
    """File an incident report as it happens: it is submitted at once for review."""
    context = info.context
    narratives = {"chronology": input.chronology}
    if input.response:
        narratives["response"] = input.response
    try:
        result = await create_incident(
            context.clients.settings,
            context.principal,
            region_code=region_code(input.region),
            incident=_details(input),
            content=Content(
                title=input.title,
                narratives=narratives,
                stage_code=input.stage_code,
                election_id=input.election.node_id if input.election else None,
            ),
            client_mutation_id=input.client_mutation_id,
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error), input.client_mutation_id)
    return ReportPayload.of(
        result.report, created=result.created, client_mutation_id=input.client_mutation_id
    )
