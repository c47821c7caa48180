"""`reportReturnReasonAddress`: the author marks a return reason dealt with."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.reports.errors import ReportError
from hub.reports.return_reasons import MAX_NOTE, address_reason
from schema.context import Info
from schema.describe import EXPECTED_VERSION
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import ReportId, report_id
from schema.reports.payloads import ReportPayload

REASON_KEY = "The reason's `key` (`ReturnReason.key`); one of the latest return's reasons."


@strawberry.input(description="Which return reason the author has dealt with, and how.")
class ReportReturnReasonAddressInput:
    reason: str = strawberry.field(description=REASON_KEY)
    note: str | None = strawberry.field(
        default=None, description=f"How it was dealt with, for the reviewer; at most {MAX_NOTE} characters."
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)


async def report_return_reason_address(
    info: Info,
    id: ReportId,
    input: Annotated[ReportReturnReasonAddressInput, strawberry.argument(description="The reason.")],
) -> ReportPayload:
    """Mark a reason of the latest return ADDRESSED (the report's authors, while it is returned)."""
    try:
        report = await address_reason(
            info.context.principal, report_id(id), input.reason, input.note, input.expected_version
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error))
    return ReportPayload.of(report)
