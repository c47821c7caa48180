from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.cases.errors import CaseError as DomainCaseError
from hub.cases.errors import CaseErrorCode as CaseErrorCodeModel
from hub.cases.services import assign
from schema.cases.mutations.common import CASE_ERRORS, CaseId, case_errors, case_id
from schema.cases.types import Case, CaseError
from schema.context import Info
from schema.describe import ERRORS, EXPECTED_VERSION


@strawberry.input(description="Who works on the case from now on.")
class CaseAssignInput:
    assignee: relay.GlobalID = strawberry.field(
        description="An active User who can work on cases and whose regions cover the case's region."
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)


@strawberry.type(description="What `caseAssign` answers.")
class CaseAssignPayload:
    case: Case | None = strawberry.field(description="The case as it is now; null when refused.")
    errors: list[CaseError] = strawberry.field(description=ERRORS)


async def case_assign(
    info: Info,
    id: CaseId,
    input: Annotated[CaseAssignInput, strawberry.argument(description="Who takes the case.")],
) -> CaseAssignPayload:
    """Assign a case to someone; an open case becomes in progress."""
    try:
        assignee = CASE_ERRORS.raw_id(input.assignee, "User", CaseErrorCodeModel.USER_NOT_FOUND, "assignee")
        case = await assign(
            info.context.principal, case_id(id), assignee, expected_version=input.expected_version
        )
    except DomainCaseError as error:
        return CaseAssignPayload(case=None, errors=case_errors(error))
    return CaseAssignPayload(case=Case.from_model(case), errors=[])
