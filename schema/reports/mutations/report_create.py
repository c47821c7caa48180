from __future__ import annotations

import strawberry
from pydantic import ValidationError
from strawberry import relay

from hub.reports.errors import ReportError, ReportErrorCode
from hub.reports.models import Period
from hub.reports.services import create_quarterly
from schema.context import Info
from schema.reports.inputs import PeriodInput, ReportContentInput, report_errors, to_content
from schema.reports.mutations.common import region_code
from schema.reports.payloads import ReportPayload


@strawberry.input
class ReportCreateInput:
    region: relay.GlobalID
    period: PeriodInput
    content: ReportContentInput | None = None
    client_mutation_id: str | None = None


async def report_create(info: Info, input: ReportCreateInput) -> ReportPayload:
    """Start the quarterly report of a region for a period, as a draft. One per region and period."""
    context = info.context
    try:
        try:
            period = Period(year=input.period.year, quarter=input.period.quarter)
        except ValidationError:
            raise ReportError(
                ReportErrorCode.INVALID_PERIOD, "a period is a year and a quarter from 1 to 4", "period"
            ) from None
        result = await create_quarterly(
            context.clients.settings,
            context.principal,
            region_code=region_code(input.region),
            period=period,
            content=to_content(input.content),
            client_mutation_id=input.client_mutation_id,
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error), input.client_mutation_id)
    return ReportPayload.of(
        result.report, created=result.created, client_mutation_id=input.client_mutation_id
    )
