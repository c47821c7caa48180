from __future__ import annotations

from typing import Annotated

import strawberry
from pydantic import ValidationError

from hub.i18n import Text
from hub.reports.errors import ReportError, ReportErrorCode
from hub.reports.models import Period
from hub.reports.services import create_quarterly
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID
from schema.regions.code import RegionCode
from schema.reports.inputs import PeriodInput, ReportContentInput, report_errors, to_content
from schema.reports.payloads import ReportPayload


@strawberry.input(
    description="A new quarterly report (laporan triwulan): its region, its period, a first draft."
)
class ReportCreateInput:
    region: RegionCode = strawberry.field(description="The region the report is about.")
    period: PeriodInput = strawberry.field(description="The quarter it covers.")
    content: ReportContentInput | None = strawberry.field(
        default=None, description="What to write at once; the rest can follow with reportUpdate."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


async def report_create(
    info: Info,
    input: Annotated[ReportCreateInput, strawberry.argument(description="The report to start.")],
) -> ReportPayload:
    """Start the quarterly report of a region for a period, as a draft. One per region and period."""
    context = info.context
    try:
        try:
            period = Period(year=input.period.year, quarter=input.period.quarter)
        except ValidationError:
            raise ReportError(
                ReportErrorCode.INVALID_PERIOD, Text("reports.period_format"), "period"
            ) from None
        result = await create_quarterly(
            context.clients.settings,
            context.principal,
            region_code=input.region,
            period=period,
            content=to_content(input.content),
            client_mutation_id=input.client_mutation_id,
        )
    except ReportError as error:
        return ReportPayload.failed(report_errors(error), input.client_mutation_id)
    return ReportPayload.of(
        result.report, created=result.created, client_mutation_id=input.client_mutation_id
    )
