from __future__ import annotations

import strawberry
from strawberry import relay

from hub.reports.errors import ReportError
from hub.reports.services import update_report
from schema.context import Info
from schema.reports.inputs import ReportContentInput, report_errors, to_content
from schema.reports.mutations.common import report_id
from schema.reports.payloads import ReportPayload


@strawberry.input
class ReportUpdateInput:
    content: ReportContentInput
    expected_version: int | None = strawberry.field(
        default=None, description="Refused if the report moved on."
    )


async def report_update(info: Info, id: relay.GlobalID, input: ReportUpdateInput) -> ReportPayload:
    """Edit a draft or returned report. Values are checked against the template at once."""
    try:
        report = await update_report(
            info.context.principal, report_id(id), to_content(input.content), input.expected_version
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error))
    return ReportPayload.of(report)
