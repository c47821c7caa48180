"""`reportReopen`: a verified or evaluated report back to its author, with the reason."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.reports.errors import ReportError
from hub.reports.review import MAX_REASON_LENGTH, reopen_report
from schema.context import Info
from schema.describe import EXPECTED_VERSION
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import ReportId, report_id
from schema.reports.payloads import ReportPayload


@strawberry.input(description="Why a verified or evaluated report is reopened.")
class ReportReopenInput:
    reason: str = strawberry.field(
        description=f"What is wrong with it, for the author and the history; 1 to {MAX_REASON_LENGTH} "
        "characters."
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)


async def report_reopen(
    info: Info,
    id: ReportId,
    input: Annotated[ReportReopenInput, strawberry.argument(description="The reason.")],
) -> ReportPayload:
    """Reopen a verified or evaluated report: it goes back to RETURNED with the reason."""
    try:
        report = await reopen_report(
            info.context.principal, report_id(id), input.reason, input.expected_version
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error))
    return ReportPayload.of(report)
