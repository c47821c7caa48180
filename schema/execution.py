"""graphql-core's execution with simple fields completed inline.

For every field graphql-core builds a resolve-info object, reads its arguments, calls the resolver, checks
whether the result must be awaited and then completes it: for a page of a hundred rows that is well over a
thousand fields, most of them a title, a status or a name read from an attribute, or a related object built
once per page (schema.prefetch presets). A field without arguments whose value can be read without an Info (a
plain attribute, or a preset) is completed here at once when it is a leaf (the same output coercion) or an
object whose selected fields are all of that kind (the same type check, the same collected sub-fields), or a
list of those. Anything else, and anything that does not go smoothly (a null where null is not allowed, a
value the scalar refuses, an exception, @defer or @stream), takes graphql-core's own path for the whole
field, which reports it as it always did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    Undefined,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.prefetch import MISSING, inline_reader


def _probe(*args: Any, **kwargs: Any) -> None:
    """Passed to the middleware manager: when it comes back as it is, no middleware wraps resolvers."""


def _passes_through(middleware: Any) -> bool:
    passes_through = getattr(middleware, "passes_through", None)
    return callable(passes_through) and passes_through() is True


_Plan = tuple[Callable[[Any], Any], GraphQLOutputType]
# Per selected field: its response key, its field details and its plan (None for __typename).
_ObjectPlan = list[tuple[str, Any, _Plan | None]]


class InlineLeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    _inline: bool | None = None
    _plans: dict[tuple[GraphQLObjectType, int], tuple[Any, _Plan | None]] | None = None
    _object_plans: dict[tuple[GraphQLObjectType, int], tuple[Any, _ObjectPlan | None]] | None = None

    @property
    def inline(self) -> bool:
        """Whether fields may be read inline: not when an extension's middleware wraps every resolver, unless
        each such extension says that in this execution it only passes fields through (`passes_through`:
        the partner guard does for every principal but a partner)."""
        if self._inline is None:
            manager = self.middleware_manager
            self._inline = (
                manager is None
                or manager.get_field_resolver(_probe) is _probe
                or all(_passes_through(middleware) for middleware in manager.middlewares)
            )
        return self._inline

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any = None,
    ) -> Any:
        if self.inline:
            value = self._inline_field(parent_type, source, field_details_list)
            if value is not MISSING:
                return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _inline_field(self, parent_type: GraphQLObjectType, source: Any, field_details_list: Any) -> Any:
        plan = self._plan(parent_type, field_details_list)
        if plan is None:
            return MISSING
        read, return_type = plan
        try:
            value = read(source)
        except Exception:  # graphql-core's path raises it again, and reports it
            return MISSING
        if value is MISSING:
            return MISSING
        return self._complete_inline(return_type, field_details_list, value)

    def _plan(self, parent_type: GraphQLObjectType, field_details_list: Any) -> _Plan | None:
        """The field's reader and type, or None when it cannot be read inline; worked out once per field of
        the operation (graphql-core hands every item of a list the same field details, as its own
        collect_subfields memo relies on), not once per item."""
        plans = self._plans
        if plans is None:
            plans = self._plans = {}
        key = (parent_type, id(field_details_list))
        found = plans.get(key)
        if found is not None:
            return found[1]
        plan: _Plan | None = None
        node = field_details_list[0].node
        # Arguments need an Info; directives (@stream) need graphql-core.
        if not node.arguments and not any(details.node.directives for details in field_details_list):
            field_def = self.schema.get_field(parent_type, node.name.value)
            read = inline_reader(field_def.resolve) if field_def is not None else None
            if read is not None and field_def is not None:
                plan = (read, field_def.type)
        # The details are kept with the plan, so that their id is not reused during the execution.
        plans[key] = (field_details_list, plan)
        return plan

    def _complete_inline(self, return_type: GraphQLOutputType, field_details_list: Any, value: Any) -> Any:
        nullable = not isinstance(return_type, GraphQLNonNull)
        named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if value is None:
            return None if nullable else MISSING
        if isinstance(named, GraphQLScalarType | GraphQLEnumType):
            try:
                coerced = named.coerce_output_value(value)
            except Exception:
                return MISSING
            return MISSING if coerced is None or coerced is Undefined else coerced
        if isinstance(named, GraphQLList):
            if not isinstance(value, list | tuple):
                return MISSING
            items = []
            for item in value:
                completed = self._complete_inline(named.of_type, field_details_list, item)
                if completed is MISSING:
                    return MISSING
                items.append(completed)
            return items
        if not isinstance(named, GraphQLObjectType):
            return MISSING  # abstract types: graphql-core's path
        return self._complete_object_inline(named, field_details_list, value)

    def _complete_object_inline(
        self, object_type: GraphQLObjectType, field_details_list: Any, value: Any
    ) -> Any:
        # Strawberry's is_type_of does not read the Info.
        if object_type.is_type_of is not None and object_type.is_type_of(value, cast(Any, None)) is not True:
            return MISSING
        plan = self._object_plan(object_type, field_details_list)
        if plan is None:
            return MISSING
        completed: dict[str, Any] = {}
        for response_key, sub_details, field_plan in plan:
            if field_plan is None:  # __typename
                completed[response_key] = object_type.name
                continue
            read, return_type = field_plan
            try:
                sub_value = read(value)
            except Exception:  # graphql-core's path raises it again, and reports it
                return MISSING
            if sub_value is MISSING:
                return MISSING
            sub_value = self._complete_inline(return_type, sub_details, sub_value)
            if sub_value is MISSING:
                return MISSING
            completed[response_key] = sub_value
        return completed

    def _object_plan(self, object_type: GraphQLObjectType, field_details_list: Any) -> _ObjectPlan | None:
        """The selected fields of an object with their plans, or None when one of them cannot be read inline
        (or is deferred): worked out once per selection of the operation, not once per item."""
        plans = self._object_plans
        if plans is None:
            plans = self._object_plans = {}
        key = (object_type, id(field_details_list))
        found = plans.get(key)
        if found is not None:
            return found[1]
        collected = self.collect_subfields(object_type, field_details_list)
        plan: _ObjectPlan | None = None if collected.new_defer_usages else []
        for response_key, sub_details in collected.grouped_field_set.items():
            if plan is None:
                break
            if sub_details[0].node.name.value == "__typename":
                plan.append((response_key, sub_details, None))
                continue
            field_plan = self._plan(object_type, sub_details)
            if field_plan is None:
                plan = None
            else:
                plan.append((response_key, sub_details, field_plan))
        plans[key] = (field_details_list, plan)
        return plan
