from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.completeness.errors import CompletenessError as DomainCompletenessError
from hub.completeness.services import create_requirement
from schema.completeness.types import CompletenessError, Requirement, RequirementKind
from schema.context import Info
from schema.describe import ERRORS
from schema.documents.types import DocumentCategory
from schema.mutations import MutationErrors
from schema.regions.types import RegionLevel
from schema.reports.types import ReportType

COMPLETENESS_ERRORS = MutationErrors(DomainCompletenessError, CompletenessError)


@strawberry.input(description="What regions of some levels must deliver for a period, and by when.")
class RequirementCreateInput:
    period: str = strawberry.field(description="The period, such as `2026-Q1`.")
    kind: RequirementKind = strawberry.field(description="A report or a document.")
    levels: list[RegionLevel] = strawberry.field(description="PROVINCE, REGENCY and/or CITY.")
    due_at: datetime = strawberry.field(description="When it is due; not before the period starts.")
    title: str = strawberry.field(description="What it is, in words.")
    report_type: ReportType | None = strawberry.field(default=None, description="REPORT: the report type.")
    document_category: DocumentCategory | None = strawberry.field(
        default=None, description="DOCUMENT: the document category."
    )
    evidence_phrases: list[str] | None = strawberry.field(
        default=None,
        description="DOCUMENT: phrases the text of valid evidence must contain, each (up to 10, 200 "
        "characters each), such as `perjanjian hibah`.",
    )
    evidence_pattern: str | None = strawberry.field(
        default=None,
        description="DOCUMENT: a number the text of valid evidence must bear, as a pattern of up to 100 "
        "characters of the linear-time subset (characters, classes, anchors and their repetitions; no "
        "groups or alternation; repetitions never give characters back), such as `\\d+/[\\w.]+/\\d{4}`.",
    )


@strawberry.type(description="What `requirementCreate` answers.")
class RequirementCreatePayload:
    requirement: Requirement | None = strawberry.field(description="The requirement; null when refused.")
    errors: list[CompletenessError] = strawberry.field(description=ERRORS)


async def requirement_create(
    info: Info,
    input: Annotated[RequirementCreateInput, strawberry.argument(description="The requirement to add.")],
) -> RequirementCreatePayload:
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
            evidence_phrases=input.evidence_phrases,
            evidence_pattern=input.evidence_pattern,
        )
    except DomainCompletenessError as error:
        return RequirementCreatePayload(requirement=None, errors=COMPLETENESS_ERRORS.typed(error))
    return RequirementCreatePayload(requirement=Requirement.from_model(requirement), errors=[])
