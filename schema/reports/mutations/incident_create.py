from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from pydantic import ValidationError
from strawberry import relay

from hub.i18n import Text
from hub.reports.errors import ReportError, ReportErrorCode
from hub.reports.models import IncidentDetails, PeopleInvolved
from hub.reports.services import Content, create_incident
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID
from schema.regions.code import RegionCode
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import document_ids
from schema.reports.payloads import ReportPayload
from schema.reports.types import IncidentCategory, RiskLevel


@strawberry.input(description="How many people an incident involved; each 0 or more.")
class PeopleInvolvedInput:
    participants: int = strawberry.field(default=0, description="People taking part.")
    injured: int = strawberry.field(default=0, description="People injured.")
    dead: int = strawberry.field(default=0, description="People killed.")
    arrested: int = strawberry.field(default=0, description="People arrested.")


@strawberry.input(description="A new incident report (laporan insidental), submitted for review at once.")
class IncidentCreateInput:
    region: RegionCode = strawberry.field(description="The region where it happened.")
    category: IncidentCategory = strawberry.field(description="What kind of incident it was.")
    severity: RiskLevel = strawberry.field(description="How serious it was.")
    occurred_at: datetime = strawberry.field(description="When it happened; not in the future.")
    chronology: str = strawberry.field(description="What happened, in order.")
    title: str | None = strawberry.field(
        default=None, description="A title; made from the category if left out."
    )
    place: str | None = strawberry.field(default=None, description="Where, in words.")
    latitude: float | None = strawberry.field(default=None, description="Where: latitude, -90 to 90.")
    longitude: float | None = strawberry.field(default=None, description="Where: longitude, -180 to 180.")
    people: PeopleInvolvedInput | None = strawberry.field(
        default=None, description="How many people it involved; none when left out."
    )
    response: str | None = strawberry.field(default=None, description="What was done about it.")
    follow_up: str | None = strawberry.field(
        default=None, description="What is planned next (tindak lanjut)."
    )
    election: relay.GlobalID | None = strawberry.field(
        default=None, description="The election (an Election id) whose stage `stageCode` names."
    )
    stage_code: str | None = strawberry.field(
        default=None, description="The election stage (tahapan) it concerns, a code of `election`'s calendar."
    )
    attachments: list[relay.GlobalID] | None = strawberry.field(
        default=None,
        description="Photos, short videos or files to attach: Document ids of the same region, uploaded "
        "first (documentUpload, or documentUploadRequest and documentUploadConfirm). More can be added later "
        "with incidentAttachmentAdd.",
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


def _invalid(error: ValidationError, prefix: str = "") -> ReportError:
    problem = error.errors()[0]
    field = prefix + ".".join(str(part) for part in problem["loc"])
    return ReportError(
        ReportErrorCode.INVALID_VALUE,
        Text("reports.input_problem", field=field, problem=problem["msg"]),
        field,
    )


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


async def incident_create(
    info: Info,
    input: Annotated[IncidentCreateInput, strawberry.argument(description="What happened, where and when.")],
) -> ReportPayload:
    """File an incident report as it happens: it is submitted at once for review."""
    context = info.context
    narratives = {"chronology": input.chronology}
    if input.response:
        narratives["response"] = input.response
    try:
        result = await create_incident(
            context.clients.settings,
            context.principal,
            region_code=input.region,
            incident=_details(input),
            content=Content(
                title=input.title,
                narratives=narratives,
                stage_code=input.stage_code,
                election_id=input.election.node_id if input.election else None,
            ),
            client_mutation_id=input.client_mutation_id,
            attachments=document_ids(input.attachments or [], "attachments"),
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error), input.client_mutation_id)
    return ReportPayload.of(
        result.report, created=result.created, client_mutation_id=input.client_mutation_id
    )
