from __future__ import annotations

import strawberry
from strawberry import relay

from hub.cases.errors import CaseError as DomainCaseError
from hub.cases.services import add_follow_up
from schema.cases.mutations.common import case_errors, case_id, evidence_ids
from schema.cases.types import Case, CaseError
from schema.context import Info


@strawberry.input(description="A follow-up action (tindak lanjut) taken on a case.")
class CaseFollowUpAddInput:
    note: str
    evidence: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Supporting documents (Document ids) inside your regions."
    )
    expected_version: int | None = strawberry.field(
        default=None, description="The version you saw; a CONFLICT error when the case changed since."
    )
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Set by the client; a retry with the same value adds nothing."
    )


@strawberry.type
class CaseFollowUpAddPayload:
    case: Case | None
    errors: list[CaseError]
    client_mutation_id: str | None


async def case_follow_up_add(
    info: Info, id: relay.GlobalID, input: CaseFollowUpAddInput
) -> CaseFollowUpAddPayload:
    """Record a follow-up action on a case; an open case becomes in progress."""
    try:
        case = await add_follow_up(
            info.context.principal,
            case_id(id),
            note=input.note,
            evidence=evidence_ids(input.evidence),
            client_mutation_id=input.client_mutation_id,
            expected_version=input.expected_version,
        )
    except DomainCaseError as error:
        return CaseFollowUpAddPayload(
            case=None, errors=case_errors(error), client_mutation_id=input.client_mutation_id
        )
    return CaseFollowUpAddPayload(
        case=Case.from_model(case), errors=[], client_mutation_id=input.client_mutation_id
    )
