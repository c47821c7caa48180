from __future__ import annotations

from strawberry import relay

from hub.cases.errors import CaseError as DomainCaseError
from hub.cases.errors import CaseErrorCode as CaseErrorCodeModel
from schema.cases.types import CaseError, CaseErrorCode


def case_errors(error: DomainCaseError) -> list[CaseError]:
    return [CaseError(field=error.field, message=error.message, code=CaseErrorCode(error.code))]


def node_id(value: relay.GlobalID, type_name: str, code: CaseErrorCodeModel, field: str) -> str:
    """The raw id inside a global id of the expected type, or a typed error naming the field."""
    if value.type_name != type_name:
        raise DomainCaseError(code, f"`{field}` must be the id of a {type_name}", field)
    return value.node_id


def case_id(value: relay.GlobalID) -> str:
    return node_id(value, "Case", CaseErrorCodeModel.CASE_NOT_FOUND, "id")


def evidence_ids(values: list[relay.GlobalID] | None) -> list[str]:
    return [
        node_id(value, "Document", CaseErrorCodeModel.EVIDENCE_NOT_FOUND, "evidence")
        for value in values or []
    ]
