"""What a partner grant may read: only granted fields of record types, no mutations; every read logged.

Checked on the parsed operation before it runs, so a refused field never reaches a resolver.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    visit,
)
from strawberry.extensions import SchemaExtension

from hub.access.grants import log_partner_read
from hub.access.principal import Principal

log = logging.getLogger(__name__)
# Reference data every partner may read; all other types that implement Node carry regional records.
OPEN_NODE_TYPES = frozenset({"Region"})
ALWAYS_ALLOWED_FIELDS = frozenset({"id", "__typename"})


class _GuardedFields(Visitor):
    def __init__(self, type_info: TypeInfo, principal: Principal) -> None:
        super().__init__()
        self.type_info = type_info
        self.principal = principal
        self.refused: list[str] = []
        self.is_mutation = False

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        self.is_mutation = self.is_mutation or node.operation is not OperationType.QUERY

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        parent = self.type_info.get_parent_type()
        if not isinstance(parent, GraphQLObjectType) or parent.name in OPEN_NODE_TYPES:
            return
        if not any(interface.name == "Node" for interface in parent.interfaces):
            return
        name = node.name.value
        if name not in ALWAYS_ALLOWED_FIELDS and not self.principal.scope.allows_field(parent.name, name):
            self.refused.append(f"{parent.name}.{name}")


def refused_fields(schema: Any, document: Any, principal: Principal) -> tuple[bool, list[str]]:
    type_info = TypeInfo(schema)
    guard = _GuardedFields(type_info, principal)
    visit(document, TypeInfoVisitor(type_info, guard))
    return guard.is_mutation, sorted(set(guard.refused))


def _object_ids(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "id" and isinstance(value, str):
                yield value
            else:
                yield from _object_ids(value)
    elif isinstance(data, list):
        for item in data:
            yield from _object_ids(item)


class PartnerAccess(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        principal: Principal = execution.context.principal
        if not principal.is_partner:
            yield
            return
        is_mutation, refused = refused_fields(execution.schema._schema, execution.graphql_document, principal)
        if is_mutation:
            execution.result = _refusal("partner tokens are read-only", "PERMISSION_DENIED")
        elif refused:
            execution.result = _refusal(
                f"not granted to {principal.name}: {', '.join(refused)}", "FIELD_NOT_GRANTED"
            )
        yield
        result = execution.result
        if result is None or refused or is_mutation:
            return
        data = getattr(result, "data", None)
        await log_partner_read(
            principal,
            operation_name=execution.operation_name,
            query=execution.query or "",
            variables=dict(execution.variables or {}),
            object_ids=sorted(set(_object_ids(data))),
        )


def _refusal(message: str, code: str) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code})])
