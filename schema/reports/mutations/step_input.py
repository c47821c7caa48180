from __future__ import annotations

import strawberry


@strawberry.input
class ReportStepInput:
    note: str | None = None
    expected_version: int | None = strawberry.field(
        default=None, description="Refused if the report moved on."
    )
