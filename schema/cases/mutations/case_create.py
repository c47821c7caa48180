from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.cases.errors import CaseError as DomainCaseError
from hub.cases.errors import CaseErrorCode as CaseErrorCodeModel
from hub.cases.services import CaseDraft, open_case
from schema.cases.mutations.common import CASE_ERRORS, case_errors
from schema.cases.types import Case, CaseCategory, CaseError
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID, CLIENT_MUTATION_ID_ECHO, ERRORS
from schema.regions.code import RegionCode
from schema.reports.types import RiskLevel


@strawberry.input(description="A new case: give its region, or the report (and indicator) it comes from.")
class CaseCreateInput:
    title: str = strawberry.field(description="What the obstacle is, in a line (at most 200 characters).")
    category: CaseCategory = strawberry.field(description="What it is about.")
    severity: RiskLevel = strawberry.field(description="How serious it is.")
    due_at: datetime = strawberry.field(description="When it must be resolved; in the future.")
    description: str = strawberry.field(default="", description="The obstacle in detail.")
    region: RegionCode | None = strawberry.field(
        default=None, description="The owning region; implied by `sourceReport`."
    )
    source_report: relay.GlobalID | None = strawberry.field(
        default=None, description="The report (a Report id) the case was raised from."
    )
    source_indicator: str | None = strawberry.field(
        default=None, description="An indicator code of the source report's template."
    )
    election: relay.GlobalID | None = strawberry.field(
        default=None, description="The election of `stageCode`; defaults to the source report's."
    )
    stage_code: str | None = strawberry.field(
        default=None, description="The election stage concerned; defaults to the source report's."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type(description="What `caseCreate` answers.")
class CaseCreatePayload:
    case: Case | None = strawberry.field(description="The case opened; null when refused.")
    created: bool = strawberry.field(description="False when a retry returned the case created first.")
    errors: list[CaseError] = strawberry.field(description=ERRORS)
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID_ECHO)


async def case_create(
    info: Info,
    input: Annotated[CaseCreateInput, strawberry.argument(description="The case to open.")],
) -> CaseCreatePayload:
    """Open a case for a region, or from a report and one of its indicators."""
    try:
        region = input.region
        report = (
            CASE_ERRORS.raw_id(
                input.source_report, "Report", CaseErrorCodeModel.REPORT_NOT_FOUND, "sourceReport"
            )
            if input.source_report
            else None
        )
        opened = await open_case(
            info.context.principal,
            CaseDraft(
                title=input.title,
                description=input.description,
                category=input.category,
                severity=input.severity,
                due_at=input.due_at,
                region_code=region,
                source_report_id=report,
                source_indicator=input.source_indicator,
                stage_code=input.stage_code,
                election_id=input.election.node_id if input.election else None,
                client_mutation_id=input.client_mutation_id,
            ),
        )
    except DomainCaseError as error:
        return CaseCreatePayload(
            case=None, created=False, errors=case_errors(error), client_mutation_id=input.client_mutation_id
        )
    return CaseCreatePayload(
        case=Case.from_model(opened.case),
        created=opened.created,
        errors=[],
        client_mutation_id=input.client_mutation_id,
    )
