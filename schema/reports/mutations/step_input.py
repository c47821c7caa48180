from __future__ import annotations

from typing import Annotated

import strawberry

from schema.describe import EXPECTED_VERSION


@strawberry.input(description="A review step: an optional note, and the version it applies to.")
class ReportStepInput:
    note: str | None = strawberry.field(default=None, description="A note kept in the review history.")
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)


StepInput = Annotated[
    ReportStepInput | None, strawberry.argument(description="A note and the version seen; both optional.")
]
