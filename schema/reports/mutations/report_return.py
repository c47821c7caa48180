from __future__ import annotations

from typing import Annotated

import strawberry

from hub.reports.errors import ReportError
from hub.reports.models import ReturnReason
from hub.reports.review import return_report
from schema.context import Info
from schema.describe import EXPECTED_VERSION
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import ReportId, report_id
from schema.reports.payloads import ReportPayload


@strawberry.input(description="One reason to return a report: what to change, and where.")
class ReturnReasonInput:
    target: str = strawberry.field(description="A section or indicator code, or `general`.")
    message: str = strawberry.field(description="What the author must change.")


@strawberry.input(description="Why a report goes back to its author.")
class ReportReturnInput:
    reasons: list[ReturnReasonInput] = strawberry.field(description="At least one reason.")
    note: str | None = strawberry.field(default=None, description="A note kept in the review history.")
    require_addressed: bool = strawberry.field(
        default=False,
        description="True: the author may resubmit only once every reason is marked addressed "
        "(`reportReturnReasonAddress`).",
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)


async def report_return(
    info: Info,
    id: ReportId,
    input: Annotated[ReportReturnInput, strawberry.argument(description="The reasons.")],
) -> ReportPayload:
    """Send a submitted report back to its author with reasons per section or indicator."""
    reasons = [ReturnReason(target=reason.target, message=reason.message) for reason in input.reasons]
    try:
        report = await return_report(
            info.context.principal,
            report_id(id),
            reasons,
            input.note,
            input.expected_version,
            require_addressed=input.require_addressed,
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error))
    return ReportPayload.of(report)
