"""incidentAttachmentAdd: more photos, videos or files for a filed incident, by its author until review."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.reports.attachments import add_attachments
from hub.reports.errors import ReportError
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID, EXPECTED_VERSION
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import ReportId, document_ids, report_id
from schema.reports.payloads import ReportPayload


@strawberry.input(description="Documents to attach to an incident.")
class IncidentAttachmentAddInput:
    documents: list[relay.GlobalID] = strawberry.field(
        description="Document ids, uploaded first with documentUpload or documentUploadRequest and "
        "documentUploadConfirm, of the incident's own region; those attached already are left as they are."
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


async def incident_attachment_add(
    info: Info,
    id: ReportId,
    input: Annotated[IncidentAttachmentAddInput, strawberry.argument(description="What to attach.")],
) -> ReportPayload:
    """Attach documents to an incident; repeated, it answers the incident as it is."""
    try:
        report = await add_attachments(
            info.context.principal,
            report_id(id),
            document_ids(input.documents, "documents"),
            input.expected_version,
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error), input.client_mutation_id)
    return ReportPayload.of(report, client_mutation_id=input.client_mutation_id)
