"""`node(id:)` and `nodes(ids:)`: any object by its global id, within the viewer's scope.

Strawberry's own relay fields fail inside (a masked INTERNAL_ERROR) on an id naming a type that is not a Node
or no type at all, and one such id in `nodes` nulls the whole answer. Here each id is opened on its own: an id
that does not name a Node type (or is no global id at all) answers null with an INVALID_ID error at its own
position; a well-formed id of nothing, or of something outside the scope, answers null without an error, as
the types' `resolve_nodes` decide (the same answer for both, so ids tell nothing of what exists).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from hub.i18n import Text, render
from schema.context import Info

INVALID_ID = "INVALID_ID"
NodeType = type[relay.Node]


def invalid_id(value: str, reason: Text) -> GraphQLError:
    shown = value if len(value) <= 60 else f"{value[:60]}…"
    message = render("request.invalid_id", shown=shown, reason=reason)
    return GraphQLError(message, extensions={"code": INVALID_ID})


class NodeTypes:
    """The Node types of the schema, by GraphQL name."""

    def __init__(self, types: Sequence[NodeType]) -> None:
        self._by_name: dict[str, NodeType] = {}
        for node_type in types:
            definition = getattr(node_type, "__strawberry_definition__", None)
            self._by_name[definition.name if definition else node_type.__name__] = node_type

    def open(self, value: str) -> tuple[NodeType, str] | GraphQLError:
        """(type, own id) of a global id, or the INVALID_ID error that says why it is none."""
        try:
            global_id = relay.GlobalID.from_id(value)
        except (GlobalIDValueError, ValueError, TypeError):
            return invalid_id(value, Text("request.not_a_global_id"))
        node_type = self._by_name.get(global_id.type_name)
        if node_type is None:
            return invalid_id(value, Text("request.no_node_type", type_name=global_id.type_name))
        return node_type, global_id.node_id

    async def resolve(self, info: Info, values: Sequence[str]) -> list[Any]:
        """Per id, in order: the object, None (nothing visible has it), or its INVALID_ID error."""
        answers: list[Any] = [None] * len(values)
        wanted: defaultdict[NodeType, list[tuple[int, str]]] = defaultdict(list)
        for position, value in enumerate(values):
            opened = self.open(value)
            if isinstance(opened, GraphQLError):
                answers[position] = opened
            else:
                wanted[opened[0]].append((position, opened[1]))
        for node_type, places in wanted.items():
            found = await node_type.resolve_nodes(  # type: ignore[misc]  # every Node type here is async
                info=info, node_ids=[own for _, own in places], required=False
            )
            for (position, _), node in zip(places, found, strict=True):
                answers[position] = node
        return answers


def node_resolver(types: NodeTypes) -> Any:
    async def node(
        info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The ID of the object.")]
    ) -> relay.Node | None:
        answer = (await types.resolve(info, [id]))[0]
        if isinstance(answer, GraphQLError):
            raise answer
        return answer  # type: ignore[no-any-return]

    return node


def nodes_resolver(types: NodeTypes) -> Any:
    async def nodes(
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="The IDs of the objects.")],
    ) -> list[relay.Node | None]:
        # An error in the list is reported at its own position (`nodes.<i>`), which answers null.
        return await types.resolve(info, ids)

    return nodes
