from __future__ import annotations

import strawberry

from hub.reports.models import Report as ReportModel
from schema.describe import CLIENT_MUTATION_ID_ECHO, ERRORS
from schema.reports.types import Report, ReportError


@strawberry.type(
    description="What a report mutation answers: the report as it is now, or why nothing changed."
)
class ReportPayload:
    report: Report | None = strawberry.field(description="The report as it is now; null when refused.")
    errors: list[ReportError] = strawberry.field(description=ERRORS)
    created: bool = strawberry.field(
        default=False,
        description="reportCreate and incidentCreate: true when this request created the report, false "
        "when a retry returned the first result (always false for the other mutations).",
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID_ECHO)

    @classmethod
    def of(
        cls, report: ReportModel, *, created: bool = False, client_mutation_id: str | None = None
    ) -> ReportPayload:
        return cls(
            report=Report.from_model(report),
            errors=[],
            created=created,
            client_mutation_id=client_mutation_id,
        )

    @classmethod
    def failed(cls, errors: list[ReportError], client_mutation_id: str | None = None) -> ReportPayload:
        return cls(report=None, errors=errors, client_mutation_id=client_mutation_id)
