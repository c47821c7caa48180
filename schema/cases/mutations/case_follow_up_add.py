from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.cases.errors import CaseError as DomainCaseError
from hub.cases.services import add_follow_up
from schema.cases.mutations.common import CaseId, case_errors, case_id, evidence_ids
from schema.cases.types import Case, CaseError
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID_ECHO, ERRORS, EXPECTED_VERSION


@strawberry.input(description="A follow-up action (tindak lanjut) taken on a case.")
class CaseFollowUpAddInput:
    note: str = strawberry.field(description="What was done.")
    evidence: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Supporting documents (Document ids) inside your regions."
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Set by the client; a retry with the same value adds nothing."
    )


@strawberry.type(description="What `caseFollowUpAdd` answers.")
class CaseFollowUpAddPayload:
    case: Case | None = strawberry.field(description="The case as it is now; null when refused.")
    errors: list[CaseError] = strawberry.field(description=ERRORS)
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID_ECHO)


async def case_follow_up_add(
    info: Info,
    id: CaseId,
    input: Annotated[CaseFollowUpAddInput, strawberry.argument(description="The follow-up to record.")],
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
