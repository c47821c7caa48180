"""graphql-core's execution with leaf fields read inline.

For every field graphql-core builds a resolve-info object, reads its arguments, calls the resolver, checks
whether the result must be awaited and then completes it: for a page of a hundred rows that is well over a
thousand fields, most of them a title, a status or a name read from an attribute. A leaf field (scalar or
enum) without arguments whose resolver can read its value without an Info (schema.prefetch: a plain attribute,
or a preset value) is completed here at once, with the same output coercion. Anything else, and anything
that does not go smoothly (a null where null is not allowed, a value the scalar refuses, an exception), takes
graphql-core's own path, which reports it as it always did.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLLeafType, GraphQLObjectType, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.prefetch import MISSING, inline_reader


def _probe(*args: Any, **kwargs: Any) -> None:
    """Passed to the middleware manager: when it comes back as it is, no middleware wraps resolvers."""


class InlineLeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    _inline: bool | None = None

    @property
    def inline(self) -> bool:
        """Whether leaves may be read inline: not when an extension's middleware wraps every resolver."""
        if self._inline is None:
            manager = self.middleware_manager
            self._inline = manager is None or manager.get_field_resolver(_probe) is _probe
        return self._inline

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any = None,
    ) -> Any:
        node = field_details_list[0].node
        if not node.arguments and self.inline:
            field_def = self.schema.get_field(parent_type, node.name.value)
            inline = inline_reader(field_def.resolve) if field_def is not None else None
            if inline is not None:
                read, leaf, nullable = inline
                value = _complete(read, leaf, nullable, source)
                if value is not MISSING:
                    return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)


def _complete(read: Any, leaf: GraphQLLeafType, nullable: bool, source: Any) -> Any:
    try:
        value = read(source)
        if value is MISSING:
            return MISSING
        if value is None:
            return None if nullable else MISSING
        coerced = leaf.coerce_output_value(value)
    except Exception:  # graphql-core's path raises it again, and reports it
        return MISSING
    return MISSING if coerced is None or coerced is Undefined else coerced
