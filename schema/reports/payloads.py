from __future__ import annotations

import strawberry

from hub.reports.models import Report as ReportModel
from schema.reports.types import Report, ReportError


@strawberry.type
class ReportPayload:
    report: Report | None
    errors: list[ReportError]
    created: bool = strawberry.field(
        default=False, description="False when a retry returned the first result."
    )
    client_mutation_id: str | None = None

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
