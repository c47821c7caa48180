from __future__ import annotations

from typing import Annotated

import strawberry

from hub.reports.errors import ReportError
from hub.reports.review import evaluate_report
from schema.context import Info
from schema.describe import EXPECTED_VERSION
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import ReportId, report_id
from schema.reports.payloads import ReportPayload
from schema.reports.types import RiskLevel


@strawberry.input(description="A central evaluation: a note, a risk level, and the version it applies to.")
class ReportEvaluateInput:
    note: str | None = strawberry.field(default=None, description="A note kept in the review history.")
    risk_level: RiskLevel | None = strawberry.field(
        default=None, description="The risk level (kerawanan) the centre assesses; unchanged when left out."
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)


async def report_evaluate(
    info: Info,
    id: ReportId,
    input: Annotated[
        ReportEvaluateInput | None, strawberry.argument(description="The evaluation; all of it optional.")
    ] = None,
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
