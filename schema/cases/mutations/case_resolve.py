from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.cases.errors import CaseError as DomainCaseError
from hub.cases.services import resolve
from schema.cases.mutations.common import CaseId, case_errors, case_id, evidence_ids
from schema.cases.types import Case, CaseError
from schema.context import Info
from schema.describe import ERRORS, EXPECTED_VERSION


@strawberry.input(description="How the case was resolved, with at least one supporting document.")
class CaseResolveInput:
    note: str = strawberry.field(description="How it was resolved.")
    evidence: list[relay.GlobalID] = strawberry.field(
        description="Supporting documents (Document ids) inside your regions; at least one."
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)


@strawberry.type(description="What `caseResolve` answers.")
class CaseResolvePayload:
    case: Case | None = strawberry.field(description="The case as it is now; null when refused.")
    errors: list[CaseError] = strawberry.field(description=ERRORS)


async def case_resolve(
    info: Info,
    id: CaseId,
    input: Annotated[CaseResolveInput, strawberry.argument(description="The resolution.")],
) -> CaseResolvePayload:
    """Resolve a case with a note and evidence."""
    try:
        case = await resolve(
            info.context.principal,
            case_id(id),
            note=input.note,
            evidence=evidence_ids(input.evidence),
            expected_version=input.expected_version,
        )
    except DomainCaseError as error:
        return CaseResolvePayload(case=None, errors=case_errors(error))
    return CaseResolvePayload(case=Case.from_model(case), errors=[])
