"""What a partner grant may read: only granted fields of record types, no mutations; every read logged.

Checked on the parsed operation before it runs, so a refused field never reaches a resolver. Which fields a
grant opens is decided in hub.access.visibility: a field of another type that repeats a record's field (live
events' summaries) declares with `reveals` which key of the event it shows, and is granted with the record
field that table names for it. Subscriptions are checked when validated (their events do not pass through
`on_execute`), and each event delivered is logged as a read.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Mapping
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
from hub.access.visibility import OPEN_TYPES, allows, event_field
from hub.events.models import EventKind

log = logging.getLogger(__name__)
ALWAYS_ALLOWED_FIELDS = frozenset({"id", "__typename"})
REVEALS = "pantau.reveals"


def reveals(kind: EventKind, data_key: str) -> dict[str, str]:
    """Field metadata: this field of a live event shows `data_key` of the event's data; partners need the
    record field that hub.access.visibility names for it (a key missing there fails at import)."""
    return {REVEALS: event_field(kind, data_key)}


def _revealed(parent: GraphQLObjectType, name: str) -> str | None:
    field = parent.fields.get(name)
    definition = field.extensions.get("strawberry-definition") if field is not None else None
    metadata: Mapping[str, Any] = getattr(definition, "metadata", None) or {}
    revealed = metadata.get(REVEALS)
    return revealed if isinstance(revealed, str) else None


class _GuardedFields(Visitor):
    def __init__(self, type_info: TypeInfo, principal: Principal) -> None:
        super().__init__()
        self.type_info = type_info
        self.principal = principal
        self.refused: list[str] = []
        self.is_mutation = False

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        self.is_mutation = self.is_mutation or node.operation is OperationType.MUTATION

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        parent = self.type_info.get_parent_type()
        if not isinstance(parent, GraphQLObjectType) or parent.name in OPEN_TYPES:
            return
        name = node.name.value
        if not any(interface.name == "Node" for interface in parent.interfaces):
            revealed = _revealed(parent, name)
            if revealed is not None and not allows(self.principal.scope, revealed):
                self.refused.append(f"{parent.name}.{name} ({revealed})")
            return
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


def _is_subscription(execution: Any) -> bool:
    try:
        operation_type = execution.operation_type  # Strawberry's own enum, not graphql-core's
    except RuntimeError:  # no such operation: validation reports it
        return False
    return bool(getattr(operation_type, "value", None) == OperationType.SUBSCRIPTION.value)


class PartnerAccess(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        """Subscriptions are refused here, as an error before they start: Strawberry streams a subscription's
        events whatever `on_execute` leaves as the result."""
        execution = self.execution_context
        principal: Principal | None = getattr(execution.context, "principal", None)
        # Empty (not None): the document is valid, which HardenedValidation, running before, has found.
        if (
            principal is not None
            and principal.is_partner
            and execution.pre_execution_errors == []
            and _is_subscription(execution)
        ):
            _, refused = refused_fields(execution.schema._schema, execution.graphql_document, principal)
            if refused:
                execution.pre_execution_errors = [
                    GraphQLError(
                        f"not granted to {principal.name}: {', '.join(refused)}",
                        extensions={"code": "FIELD_NOT_GRANTED"},
                    )
                ]
        yield

    # Strawberry awaits a coroutine function here (a generator would never run), whatever the base declares.
    async def on_stream_result(self, result: Any) -> None:  # type: ignore[override]
        """Each event delivered to a partner's subscription is a read, logged like a query."""
        execution = self.execution_context
        principal: Principal = execution.context.principal
        data = getattr(result, "data", None)
        if not principal.is_partner or data is None or not _is_subscription(execution):
            return
        await log_partner_read(
            principal,
            operation_name=execution.operation_name,
            query=execution.query or "",
            variables=dict(execution.variables or {}),
            object_ids=sorted(set(_object_ids(data))),
        )

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        principal: Principal = execution.context.principal
        if not principal.is_partner or _is_subscription(execution):
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
