"""graphql-core's execution with simple fields completed inline.

For every field graphql-core builds a resolve-info object, reads its arguments, calls the resolver, checks
whether the result must be awaited and then completes it: for a page of a hundred rows that is well over a
thousand fields, most of them a title, a status or a name read from an attribute, or a related object built
once per page (schema.prefetch presets). A field without arguments whose value can be read without an Info (a
plain attribute, or a preset) is completed here at once when it is a leaf (the same output coercion) or an
object whose selected fields are all of that kind (the same type check, the same collected sub-fields), or a
list of those. What completes a field is worked out once per selection of the operation, as closures (no type
tests per value), and an object that recurs (a preset shared by the items of a page) is completed once.
Anything else, and anything that does not go smoothly (a null where null is not allowed, a
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
from graphql.type.scalars import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    serialize_boolean,
    serialize_id,
    serialize_int,
    serialize_string,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.prefetch import MISSING, inline_reader


def _probe(*args: Any, **kwargs: Any) -> None:
    """Passed to the middleware manager: when it comes back as it is, no middleware wraps resolvers."""


def _passes_through(middleware: Any) -> bool:
    passes_through = getattr(middleware, "passes_through", None)
    return callable(passes_through) and passes_through() is True


# What completes a value read inline: the completed value, or MISSING to leave the field to graphql-core.
_Complete = Callable[[Any], Any]
# Per field: what reads its value from the parent, and what completes that value.
_Plan = tuple[Callable[[Any], Any], _Complete]


class InlineLeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    _inline: bool | None = None
    _plans: dict[tuple[GraphQLObjectType, int], tuple[Any, _Plan | None]] | None = None
    _objects: dict[tuple[GraphQLObjectType, int, bool], tuple[Any, _Complete | None]] | None = None

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
            plan = self._plan(parent_type, field_details_list)
            if plan is not None:
                read, complete = plan
                try:
                    value = read(source)
                except Exception:  # graphql-core's path raises it again, and reports it
                    value = MISSING
                if value is not MISSING:
                    value = complete(value)
                    if value is not MISSING:
                        return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _plan(self, parent_type: GraphQLObjectType, field_details_list: Any) -> _Plan | None:
        """The field's reader and the completion of what it reads, or None when it cannot be read inline;
        worked out once per field of the operation (graphql-core hands every item of a list the same field
        details, as its own collect_subfields memo relies on), not once per item."""
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
                complete = self._completer(field_def.type, field_details_list)
                if complete is not None:
                    plan = (read, complete)
        # The details are kept with the plan, so that their id is not reused during the execution.
        plans[key] = (field_details_list, plan)
        return plan

    def _completer(self, return_type: GraphQLOutputType, field_details_list: Any) -> _Complete | None:
        """What completes a value of the type as graphql-core would (MISSING when it cannot be done here),
        or None for a type or selection graphql-core must complete (abstract types, deferred fragments, a
        field below that is not simple)."""
        nullable = not isinstance(return_type, GraphQLNonNull)
        named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if isinstance(named, GraphQLScalarType | GraphQLEnumType):
            return _leaf(named, nullable)
        if isinstance(named, GraphQLList):
            item = self._completer(named.of_type, field_details_list)
            return None if item is None else _list(item, nullable)
        if isinstance(named, GraphQLObjectType):
            return self._object_completer(named, field_details_list, nullable)
        return None  # abstract types: graphql-core's path

    def _object_completer(
        self, object_type: GraphQLObjectType, field_details_list: Any, nullable: bool
    ) -> _Complete | None:
        """An object's completion over its selected fields (the same type check, the same collected
        sub-fields), worked out once per selection of the operation, not once per item."""
        objects = self._objects
        if objects is None:
            objects = self._objects = {}
        key = (object_type, id(field_details_list), nullable)
        found = objects.get(key)
        if found is not None:
            return found[1]
        collected = self.collect_subfields(object_type, field_details_list)
        fields: list[tuple[str, Callable[[Any], Any], _Complete]] | None = (
            None if collected.new_defer_usages else []
        )
        for response_key, sub_details in collected.grouped_field_set.items():
            if fields is None:
                break
            if sub_details[0].node.name.value == "__typename":
                fields.append((response_key, _constant(object_type.name), _same))
                continue
            plan = self._plan(object_type, sub_details)
            if plan is None:
                fields = None
            else:
                fields.append((response_key, *plan))
        complete = None if fields is None else _object(object_type, fields, nullable)
        objects[key] = (field_details_list, complete)
        return complete


def _same(value: Any) -> Any:
    return value


def _constant(value: Any) -> Callable[[Any], Any]:
    return lambda _: value


_UNCHANGED: dict[Any, type] = {serialize_string: str, serialize_id: str, serialize_boolean: bool}


def _leaf(named: GraphQLScalarType | GraphQLEnumType, nullable: bool) -> _Complete:
    """The scalar's or enum's own output coercion; a value it refuses (or turns into null) is left to
    graphql-core, which reports it."""
    coerce = named.coerce_output_value
    if_none = None if nullable else MISSING
    # What graphql-core's String, ID and Boolean hand back unchanged: no call for them.
    unchanged = _UNCHANGED.get(coerce)
    # Int hands back an int within 32 bits unchanged (a count, a version on every row of a page).
    ints = coerce is serialize_int
    # An enum member always coerces to the same name: each is coerced once per operation.
    members: dict[Any, Any] | None = {} if isinstance(named, GraphQLEnumType) else None
    member_type = getattr(named, "wrapped_cls", None)

    def complete(value: Any) -> Any:
        if value is None:
            return if_none
        if type(value) is unchanged:
            return value
        if ints and type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT:
            return value
        if members is not None and type(value) is member_type:
            known = members.get(value)
            if known is not None:
                return known
        try:
            coerced = coerce(value)
        except Exception:
            return MISSING
        if coerced is None or coerced is Undefined:
            return MISSING
        if members is not None and type(value) is member_type:
            members[value] = coerced
        return coerced

    return complete


def _list(item: _Complete, nullable: bool) -> _Complete:
    if_none = None if nullable else MISSING

    def complete(value: Any) -> Any:
        if value is None:
            return if_none
        if not isinstance(value, list | tuple):
            return MISSING
        items = []
        for element in value:
            completed = item(element)
            if completed is MISSING:
                return MISSING
            items.append(completed)
        return items

    return complete


def _object(
    object_type: GraphQLObjectType,
    fields: list[tuple[str, Callable[[Any], Any], _Complete]],
    nullable: bool,
) -> _Complete:
    if_none = None if nullable else MISSING
    is_type_of = object_type.is_type_of
    # The same object completes to the same result: a related object given to every item of a page (a
    # preset: nine regions for a hundred reports) is completed once. Each entry keeps its object, so that
    # its id is not reused while the operation runs.
    done: dict[int, tuple[Any, Any]] = {}

    def complete(value: Any) -> Any:
        if value is None:
            return if_none
        known = done.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        # Strawberry's is_type_of does not read the Info.
        if is_type_of is not None and is_type_of(value, cast(Any, None)) is not True:
            return MISSING
        completed: dict[str, Any] = {}
        for response_key, read, complete_field in fields:
            try:
                field_value = read(value)
            except Exception:  # graphql-core's path raises it again, and reports it
                return MISSING
            if field_value is MISSING:
                return MISSING
            field_value = complete_field(field_value)
            if field_value is MISSING:
                return MISSING
            completed[response_key] = field_value
        done[id(value)] = (value, completed)
        return completed

    return complete
