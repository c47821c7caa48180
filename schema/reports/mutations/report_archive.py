from __future__ import annotations

from hub.reports.errors import ReportError
from hub.reports.review import archive_report
from schema.context import Info
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import ReportId, report_id
from schema.reports.mutations.step_input import StepInput
from schema.reports.payloads import ReportPayload


async def report_archive(info: Info, id: ReportId, input: StepInput = None) -> ReportPayload:
    """Archive an evaluated report."""
    try:
        report = await archive_report(
            info.context.principal, report_id(id), input.expected_version if input else None
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error))
    return ReportPayload.of(report)
