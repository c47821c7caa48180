"""`reportReturnReasonResolve`: the reviewer accepts the answer to a return reason, or reopens it."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.reports.errors import ReportError
from hub.reports.return_reasons import MAX_NOTE, resolve_reason
from schema.context import Info
from schema.describe import EXPECTED_VERSION
from schema.reports.inputs import report_errors
from schema.reports.mutations.common import ReportId, report_id
from schema.reports.mutations.report_return_reason_address import REASON_KEY
from schema.reports.payloads import ReportPayload


@strawberry.input(description="The reviewer's verdict on the answer to a return reason.")
class ReportReturnReasonResolveInput:
    reason: str = strawberry.field(description=REASON_KEY)
    reopen: bool = strawberry.field(
        default=False, description="True: the answer is not enough, the reason is OPEN again."
    )
    note: str | None = strawberry.field(
        default=None, description=f"A note for the author; at most {MAX_NOTE} characters."
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)


async def report_return_reason_resolve(
    info: Info,
    id: ReportId,
    input: Annotated[ReportReturnReasonResolveInput, strawberry.argument(description="The verdict.")],
) -> ReportPayload:
    """Mark a reason RESOLVED, or OPEN again (the report's reviewers, once it is submitted again)."""
    try:
        report = await resolve_reason(
            info.context.principal,
            report_id(id),
            input.reason,
            reopen=input.reopen,
            note=input.note,
            expected_version=input.expected_version,
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error))
    return ReportPayload.of(report)
