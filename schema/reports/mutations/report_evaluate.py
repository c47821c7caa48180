from __future__ import annotations

import strawberry
from strawberry import relay

from hub.reports.errors import ReportError
from hub.reports.review import evaluate_report
from schema.context import Info
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import report_id
from schema.reports.payloads import ReportPayload
from schema.reports.types import RiskLevel


@strawberry.input
class ReportEvaluateInput:
    note: str | None = None
    risk_level: RiskLevel | None = None
    expected_version: int | None = None


async def report_evaluate(
    info: Info, id: relay.GlobalID, input: ReportEvaluateInput | None = None
) -> ReportPayload:
    """Evaluate a verified report (central reviewers), optionally setting its risk level."""
    step = input or ReportEvaluateInput()
    try:
        report = await evaluate_report(
            info.context.principal, report_id(id), step.note, step.risk_level, step.expected_version
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error))
    return ReportPayload.of(report)
