"""What the case mutations share: their typed errors and the ids they take."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.cases.errors import CaseError as DomainCaseError
from hub.cases.errors import CaseErrorCode as CaseErrorCodeModel
from schema.cases.types import CaseError
from schema.mutations import MutationErrors

CASE_ERRORS = MutationErrors(DomainCaseError, CaseError)
case_errors = CASE_ERRORS.typed
CaseId = Annotated[relay.GlobalID, strawberry.argument(description="The case's id.")]


def case_id(value: relay.GlobalID) -> str:
    return CASE_ERRORS.raw_id(value, "Case", CaseErrorCodeModel.CASE_NOT_FOUND)


def evidence_ids(values: list[relay.GlobalID] | None) -> list[str]:
    return [
        CASE_ERRORS.raw_id(value, "Document", CaseErrorCodeModel.EVIDENCE_NOT_FOUND, "evidence")
        for value in values or []
    ]
