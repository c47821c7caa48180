from __future__ import annotations

from datetime import datetime

import strawberry

from hub.completeness.errors import CompletenessError as DomainCompletenessError
from hub.completeness.services import create_requirement
from schema.completeness.types import CompletenessError, Requirement, RequirementKind
from schema.context import Info
from schema.documents.types import DocumentCategory
from schema.mutations import MutationErrors
from schema.regions.types import RegionLevel
from schema.reports.types import ReportType

COMPLETENESS_ERRORS = MutationErrors(DomainCompletenessError, CompletenessError)


@strawberry.input
class RequirementCreateInput:
    period: str = strawberry.field(description="Such as `2026-Q1`.")
    kind: RequirementKind
    levels: list[RegionLevel] = strawberry.field(description="PROVINCE, REGENCY and/or CITY.")
    due_at: datetime
    title: str
    report_type: ReportType | None = None
    document_category: DocumentCategory | None = None


@strawberry.type
class RequirementCreatePayload:
    requirement: Requirement | None
    errors: list[CompletenessError]


async def requirement_create(info: Info, input: RequirementCreateInput) -> RequirementCreatePayload:
    """Require a report type or a document category of regions of some levels for a period (admins)."""
    actor = info.context.principal.actor
    try:
        requirement = await create_requirement(
            actor=actor,
            period_key=input.period,
            kind=input.kind,
            levels=list(input.levels),
            due_at=input.due_at,
            title=input.title,
            report_type=input.report_type,
            document_category=input.document_category,
        )
    except DomainCompletenessError as error:
        return RequirementCreatePayload(requirement=None, errors=COMPLETENESS_ERRORS.typed(error))
    return RequirementCreatePayload(requirement=Requirement.from_model(requirement), errors=[])
