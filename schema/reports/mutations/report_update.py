from __future__ import annotations

from typing import Annotated

import strawberry

from hub.reports.errors import ReportError
from hub.reports.services import update_report
from schema.context import Info
from schema.describe import EXPECTED_VERSION
from schema.reports.inputs import ReportContentInput, report_errors, to_content
from schema.reports.mutations.common import ReportId, report_id
from schema.reports.payloads import ReportPayload


@strawberry.input(description="What to change in a draft or returned report.")
class ReportUpdateInput:
    content: ReportContentInput = strawberry.field(description="The parts to change; the rest stay.")
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)


async def report_update(
    info: Info,
    id: ReportId,
    input: Annotated[ReportUpdateInput, strawberry.argument(description="What to change.")],
) -> ReportPayload:
    """Edit a draft or returned report. Values are checked against the template at once."""
    try:
        report = await update_report(
            info.context.principal, report_id(id), to_content(input.content), input.expected_version
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error))
    return ReportPayload.of(report)
