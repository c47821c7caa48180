from __future__ import annotations

import strawberry
from strawberry import relay

from hub.cases.errors import CaseError as DomainCaseError
from hub.cases.services import resolve
from schema.cases.mutations.common import case_errors, case_id, evidence_ids
from schema.cases.types import Case, CaseError
from schema.context import Info


@strawberry.input(description="How the case was resolved, with at least one supporting document.")
class CaseResolveInput:
    note: str
    evidence: list[relay.GlobalID] = strawberry.field(
        description="Supporting documents (Document ids) inside your regions; at least one."
    )
    expected_version: int | None = strawberry.field(
        default=None, description="The version you saw; a CONFLICT error when the case changed since."
    )


@strawberry.type
class CaseResolvePayload:
    case: Case | None
    errors: list[CaseError]


async def case_resolve(info: Info, id: relay.GlobalID, input: CaseResolveInput) -> CaseResolvePayload:
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
