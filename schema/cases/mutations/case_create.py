from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from hub.cases.errors import CaseError as DomainCaseError
from hub.cases.errors import CaseErrorCode as CaseErrorCodeModel
from hub.cases.services import CaseDraft, open_case
from schema.cases.mutations.common import CASE_ERRORS, case_errors
from schema.cases.types import Case, CaseCategory, CaseError
from schema.context import Info
from schema.reports.types import RiskLevel


@strawberry.input(description="A new case: give its region, or the report (and indicator) it comes from.")
class CaseCreateInput:
    title: str
    category: CaseCategory
    severity: RiskLevel
    due_at: datetime = strawberry.field(description="When it must be resolved; in the future.")
    description: str = ""
    region: relay.GlobalID | None = strawberry.field(
        default=None, description="The owning region (a Region id); implied by `sourceReport`."
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
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Set by the client; a retry with the same value returns the first case."
    )


@strawberry.type
class CaseCreatePayload:
    case: Case | None
    created: bool = strawberry.field(description="False when a retry returned the case created first.")
    errors: list[CaseError]
    client_mutation_id: str | None


async def case_create(info: Info, input: CaseCreateInput) -> CaseCreatePayload:
    """Open a case for a region, or from a report and one of its indicators."""
    try:
        region = (
            CASE_ERRORS.raw_id(input.region, "Region", CaseErrorCodeModel.REGION_NOT_FOUND, "region")
            if input.region
            else None
        )
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
