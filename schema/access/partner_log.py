"""What a partner read's log entry says, taken from the execution rather than from the response, so that the
client's choices cannot blind it:

- the operation that ran, normalized (graphql-core's printer: no comments, canonical whitespace, only the
  executed operation and the fragments it uses), with overlong string literals and names shortened in the
  stored text, and the SHA-256 of the whole normalized text;
- every object whose fields were resolved, by global id, collected by the guard's resolver hook (aliases,
  fragments and leaving `id` out change nothing);
- the variables the operation declares, bounded (hub.access.grants).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    NameNode,
    OperationDefinitionNode,
    StringValueNode,
    Visitor,
    get_operation_ast,
    print_ast,
    visit,
)
from strawberry import relay

MAX_LOGGED_STRING = 200
MAX_LOGGED_NAME = 64


@dataclass(frozen=True)
class LoggedOperation:
    text: str  # normalized, long literals and names shortened
    sha256: str  # of the whole normalized operation
    declared_variables: tuple[str, ...]


def _used_fragments(
    document: DocumentNode, operation: OperationDefinitionNode
) -> list[FragmentDefinitionNode]:
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    used: dict[str, FragmentDefinitionNode] = {}
    pending: list[Any] = [operation]
    while pending:
        spreads = _Spreads()
        visit(pending.pop(), spreads)
        for name in spreads.names:
            if name in fragments and name not in used:
                used[name] = fragments[name]
                pending.append(fragments[name])
    return [used[name] for name in sorted(used)]


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.names.append(node.name.value)


class _Shorten(Visitor):
    """Overlong string literals and names (aliases are free text) cut short, marked with `…`."""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> StringValueNode | None:
        if len(node.value) <= MAX_LOGGED_STRING:
            return None
        return StringValueNode(value=f"{node.value[:MAX_LOGGED_STRING]}…", block=False)

    def enter_name(self, node: NameNode, *_: Any) -> NameNode | None:
        if len(node.value) <= MAX_LOGGED_NAME:
            return None
        return NameNode(value=f"{node.value[:MAX_LOGGED_NAME]}_")


def logged_operation(document: DocumentNode, operation_name: str | None) -> LoggedOperation:
    operation = get_operation_ast(document, operation_name)
    if operation is None:  # validation refuses such a request before anything is read
        return LoggedOperation(text="", sha256=hashlib.sha256(b"").hexdigest(), declared_variables=())
    executed = DocumentNode(definitions=(operation, *_used_fragments(document, operation)))
    whole = print_ast(executed)
    return LoggedOperation(
        text=print_ast(visit(executed, _Shorten())),
        sha256=hashlib.sha256(whole.encode()).hexdigest(),
        declared_variables=tuple(
            variable.variable.name.value for variable in operation.variable_definitions or ()
        ),
    )


_NODE_TYPES: dict[str, bool] = {}


def node_id(parent: GraphQLObjectType, root: Any) -> str | None:
    """The global id of the object a field is resolved on, when it is a Node (a record, a region…), or the
    id a row without one of its own is read as (`logged_id()`: a support row, as the report it comes from)."""
    is_node = _NODE_TYPES.get(parent.name)
    if is_node is None:
        is_node = _NODE_TYPES[parent.name] = any(item.name == "Node" for item in parent.interfaces)
    if not is_node or not isinstance(root, relay.Node):
        logged = getattr(root, "logged_id", None)
        return logged() if callable(logged) else None
    return relay.to_base64(parent.name, getattr(root, type(root).resolve_id_attr()))
