from __future__ import annotations

from hub.reports.errors import ReportError
from hub.reports.review import verify_report
from schema.context import Info
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import ReportId, report_id
from schema.reports.mutations.step_input import ReportStepInput, StepInput
from schema.reports.payloads import ReportPayload


async def report_verify(info: Info, id: ReportId, input: StepInput = None) -> ReportPayload:
    """Accept a submitted report (the level above)."""
    step = input or ReportStepInput()
    try:
        report = await verify_report(info.context.principal, report_id(id), step.note, step.expected_version)
    except ReportError as error:
        return ReportPayload.failed(report_errors(error))
    return ReportPayload.of(report)
