"""What a partner grant may read: only granted fields of record types, no mutations; every read logged.

Checked on the parsed operation before it runs, so a refused field never reaches a resolver. Which fields a
grant opens is decided in hub.access.visibility: a field of another type that repeats a record's field (live
events' summaries) declares with `reveals` which key of the event it shows, and is granted with the record
field that table names for it. Rows without an id of their own (an election's support per region) are
granted by their own `Type.field` names like records (visibility.ROW_TYPES), and summaries of a record in
them by the record fields they repeat (visibility.REPEATING_TYPES). Arguments and the fields of input
objects given to them are checked against hub.access.disclosure (schema.access.partner_arguments), as are
fields that summarise records (facets). Subscriptions are checked when validated (their events do not
pass through `on_execute`), and each event delivered is logged as a read. What a log entry holds is taken
from the execution (schema.access.partner_log).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    visit,
)
from strawberry.extensions import SchemaExtension

from hub.access.disclosure import lacking_for_summary
from hub.access.grants import log_partner_read
from hub.access.principal import Principal
from hub.access.visibility import (
    OPEN_TYPES,
    REPEATING_TYPES,
    ROW_TYPES,
    allows,
    event_field,
    reads_type,
)
from hub.events.models import EventKind
from hub.i18n import render
from schema.access.partner_arguments import effective_variables, refused_arguments
from schema.access.partner_log import logged_operation, node_id

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


def _is_node(parent: GraphQLObjectType) -> bool:
    return any(interface.name == "Node" for interface in parent.interfaces)


def _is_granted_type(parent: GraphQLObjectType) -> bool:
    """Whether the grant lists this type's fields by name: records (Nodes) and rows (ROW_TYPES)."""
    return _is_node(parent) or parent.name in ROW_TYPES


def _listed_record_type(definition: GraphQLField) -> str | None:
    """The record (or row) type a connection field pages over (`reports` → `Report`), or None for other
    fields."""
    connection = get_named_type(definition.type)
    if not isinstance(connection, GraphQLObjectType) or "nodes" not in connection.fields:
        return None
    item = get_named_type(connection.fields["nodes"].type)
    return item.name if isinstance(item, GraphQLObjectType) and _is_granted_type(item) else None


class _GuardedFields(Visitor):
    def __init__(self, type_info: TypeInfo, principal: Principal, variables: Mapping[str, Any]) -> None:
        super().__init__()
        self.type_info = type_info
        self.principal = principal
        self.variables = variables
        self.refused: list[str] = []
        self.asked: set[str] = set()  # record fields asked for, for the log
        self.is_mutation = False

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        self.is_mutation = self.is_mutation or node.operation is OperationType.MUTATION

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        parent = self.type_info.get_parent_type()
        definition = self.type_info.get_field_def()
        if not isinstance(parent, GraphQLObjectType):
            return
        scope = self.principal.scope
        if definition is not None:
            self.refused += refused_arguments(scope, parent.name, definition, node, self.variables)
            # A listing's totalCount and pageInfo tell how many records of a type there are: a grant that
            # reads nothing of that type learns nothing of it, not even how many.
            listed = _listed_record_type(definition)
            if listed is not None and listed not in OPEN_TYPES and not reads_type(scope, listed):
                self.refused.append(
                    f"{parent.name}.{node.name.value} lists {listed}, of which nothing is granted"
                )
        if parent.name in OPEN_TYPES:
            return
        name = node.name.value
        summary = f"{parent.name}.{name}"
        lacking = lacking_for_summary(scope, summary)
        if lacking:
            self.refused.append(f"{summary} needs {', '.join(lacking)}")
        repeated = REPEATING_TYPES.get(parent.name)
        if repeated is not None:
            if name not in ALWAYS_ALLOWED_FIELDS:
                needed = repeated.get(name)
                if needed is None or not allows(scope, needed):
                    self.refused.append(f"{summary} ({needed or 'not open to partner grants'})")
                else:
                    self.asked.add(needed)
            return
        if not _is_granted_type(parent):
            revealed = _revealed(parent, name)
            if revealed is not None and not allows(scope, revealed):
                self.refused.append(f"{parent.name}.{name} ({revealed})")
            return
        if name in ALWAYS_ALLOWED_FIELDS:
            return
        self.asked.add(summary)
        if not scope.allows_field(parent.name, name):
            self.refused.append(summary)


def guard(
    schema: Any, document: DocumentNode, principal: Principal, variables: Mapping[str, Any] | None
) -> _GuardedFields:
    type_info = TypeInfo(schema)
    checked = _GuardedFields(type_info, principal, effective_variables(document, variables))
    visit(document, TypeInfoVisitor(type_info, checked))
    return checked


def _is_subscription(execution: Any) -> bool:
    try:
        operation_type = execution.operation_type  # Strawberry's own enum, not graphql-core's
    except RuntimeError:  # no such operation: validation reports it
        return False
    return bool(getattr(operation_type, "value", None) == OperationType.SUBSCRIPTION.value)


def _refused_error(principal: Principal, refused: list[str]) -> GraphQLError:
    return GraphQLError(
        render("request.not_granted", partner=principal.name, refused=", ".join(refused)),
        extensions={"code": "FIELD_NOT_GRANTED"},
    )


class PartnerAccess(SchemaExtension):
    def __init__(self, *, execution_context: Any = None) -> None:
        super().__init__(execution_context=execution_context)
        self._collecting: bool | None = None  # whether objects read are collected (a partner's request)
        self._read_ids: set[str] = set()
        self._asked: tuple[str, ...] = ()

    def _principal(self) -> Principal:
        principal: Principal = self.execution_context.context.principal
        return principal

    def passes_through(self) -> bool:
        """Whether `resolve` only passes fields through in this execution (anyone's but a partner's): then
        schema.execution may complete simple fields without calling it."""
        return not self._principal().is_partner

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any
    ) -> Any:
        """Every object a partner's operation resolves a field of is read, whatever the response calls it."""
        if self._collecting is None:
            self._collecting = self._principal().is_partner
        if self._collecting and root is not None:
            found = node_id(info.parent_type, root)
            if found is not None:
                self._read_ids.add(found)
        return _next(root, info, *args, **kwargs)

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
            and execution.graphql_document is not None
        ):
            checked = guard(
                execution.schema._schema, execution.graphql_document, principal, execution.variables
            )
            self._asked = tuple(sorted(checked.asked))
            if checked.refused:
                execution.pre_execution_errors = [_refused_error(principal, sorted(set(checked.refused)))]
        yield

    # Strawberry awaits a coroutine function here (a generator would never run), whatever the base declares.
    async def on_stream_result(self, result: Any) -> None:  # type: ignore[override]
        """Each event delivered to a partner's subscription is a read, logged like a query."""
        execution = self.execution_context
        principal = self._principal()
        if (
            not principal.is_partner
            or getattr(result, "data", None) is None
            or not _is_subscription(execution)
        ):
            return
        read = sorted(self._read_ids)
        self._read_ids.clear()
        await self._log(principal, read)

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        principal = self._principal()
        if not principal.is_partner or _is_subscription(execution):
            yield
            return
        document = execution.graphql_document
        assert document is not None  # execution follows a parsed document
        checked = guard(execution.schema._schema, document, principal, execution.variables)
        refused = sorted(set(checked.refused))
        self._asked = tuple(sorted(checked.asked))
        if checked.is_mutation:
            execution.result = _refusal(render("request.partner_read_only"), "PERMISSION_DENIED")
        elif refused:
            execution.result = ExecutionResult(data=None, errors=[_refused_error(principal, refused)])
        yield
        if execution.result is None or refused or checked.is_mutation:
            return
        await self._log(principal, sorted(self._read_ids))

    async def _log(self, principal: Principal, object_ids: list[str]) -> None:
        execution = self.execution_context
        document = execution.graphql_document
        assert document is not None  # only what ran is logged
        operation = logged_operation(document, execution.operation_name)
        await log_partner_read(
            principal,
            operation_name=execution.operation_name,
            query=operation.text,
            query_sha256=operation.sha256,
            variables=dict(execution.variables or {}),
            declared_variables=operation.declared_variables,
            object_ids=object_ids,
            fields=list(self._asked),
        )


def _refusal(message: str, code: str) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code})])
