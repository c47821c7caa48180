from __future__ import annotations

import strawberry
from strawberry import relay

from hub.reports.errors import ReportError
from hub.reports.models import ReturnReason
from hub.reports.review import return_report
from schema.context import Info
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import report_id
from schema.reports.payloads import ReportPayload


@strawberry.input
class ReturnReasonInput:
    target: str = strawberry.field(description="A section or indicator code, or `general`.")
    message: str


@strawberry.input
class ReportReturnInput:
    reasons: list[ReturnReasonInput]
    note: str | None = None
    expected_version: int | None = None


async def report_return(info: Info, id: relay.GlobalID, input: ReportReturnInput) -> ReportPayload:
    """Send a submitted report back to its author with reasons per section or indicator."""
    reasons = [ReturnReason(target=reason.target, message=reason.message) for reason in input.reasons]
    try:
        report = await return_report(
            info.context.principal, report_id(id), reasons, input.note, input.expected_version
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error))
    return ReportPayload.of(report)
