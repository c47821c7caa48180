"""What an operation may cost, worked out from its document before anything runs.

A point is about one simple backend request (a MongoDB query by index, an Elasticsearch search) or one record
loaded and sent. An operation costs the sum over its fields, each field:

- its `weight`: the work its resolver does each time it runs, in such requests. Root query and subscription
  fields weigh 1 and mutations 10 unless they declare more; aggregations declare what they are worth; other
  fields weigh 0 (they read their parent, or a per-request DataLoader batches them);
- plus, per object it returns, its `item` cost (1 for a record: a type that implements `Node`; else 0) and
  the cost of the selection under it.

How many objects a list returns: its `first` argument, or `last` when given (the value given, a variable's
value, or the schema's default, never more than the most the resolver accepts); the items of a page (a
connection's `edges` and `nodes`) count as many as the `first` of the field that returned the page; a list
argument such as `nodes(ids:)` counts its items and is refused over its cap. Those lists are sized by the
client, which pays for every record in them. Any other list (a record's follow-ups, a region's children) is
sized by the data: it counts its declared `size`, or `DEFAULT_LIST_SIZE`, times the weighted fields under it,
while the records it holds (loaded in batches) are not charged one by one. Fan-out is paid for
multiplicatively: `similar` under `similar` costs the product of the two `first`s with no special case.
Aliases and fragment spreads count every time they appear; each fragment is priced once (leaves first), so
pricing takes time linear in the document.

Fields declare what differs from these defaults next to their definition: `metadata=cost(weight=10)`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Undefined,
    get_named_type,
    get_operation_ast,
    value_from_ast_untyped,
)

from hub.core.paging import MAX_PAGE_SIZE
from hub.i18n import render
from schema.fragment_order import leaves_first

COST = "pantau.cost"
DEFAULT_LIST_SIZE = 20
ROOT_WEIGHT = 1.0
MUTATION_WEIGHT = 10.0
RECORD_COST = 1.0
MINIMUM_COST = 1
"""Even `{ __typename }` is parsed, validated and answered: no operation is free."""
COST_CEILING = 10**12
"""Costs are reported up to this (a fragment bomb's would not fit a float): far beyond any limit."""


@dataclass(frozen=True)
class FieldCost:
    weight: float | None = None
    """Requests the resolver makes each time it runs; None: the default for where the field is."""
    item: float | None = None
    """Cost of each object returned, before its selection; None: 1 for records, 0 otherwise."""
    size: int | None = None
    """How many items a list without `first` is assumed to hold; None: DEFAULT_LIST_SIZE."""
    max_first: int = MAX_PAGE_SIZE
    """The largest `first` the resolver accepts (it refuses more): larger values count as this."""
    per_first: float = 0.0
    """For a result sized by `first` that is not a list (a GeoJSON collection): points per unit of `first`."""
    count_argument: str | None = None
    """A list argument whose length is the number of items returned (`nodes(ids:)`)."""
    max_count: int | None = None
    """The most items `count_argument` may hold; more is refused before anything runs."""
    page: bool = False
    """This list is the page of the field that returned its object (as a connection's `edges` are)."""


def cost(**declared: Any) -> dict[str, FieldCost]:
    """Field metadata declaring the field's cost; see FieldCost."""
    return {COST: FieldCost(**declared)}


def list_too_long(argument: str, count: int, limit: int) -> GraphQLError:
    return GraphQLError(
        render("request.list_too_long", argument=argument, limit=limit, count=count),
        extensions={"code": "LIST_TOO_LONG", "argument": argument, "count": count, "limit": limit},
    )


@dataclass(frozen=True)
class _Price:
    """A selection's cost: `fixed`; `records`, the items reached through single fields only, which a list
    sized by the data does not charge; and `per_page` for each item of the page its fields are part of."""

    fixed: float = 0.0
    records: float = 0.0
    per_page: float = 0.0

    def __add__(self, other: _Price) -> _Price:
        return _Price(self.fixed + other.fixed, self.records + other.records, self.per_page + other.per_page)

    def total(self, page: int | None) -> float:
        return self.fixed + self.records + self.per_page * _page(page)


def _page(page: int | None) -> int:
    return DEFAULT_LIST_SIZE if page is None else page


def _declared(field: GraphQLField) -> FieldCost | None:
    definition = field.extensions.get("strawberry-definition")
    metadata: Mapping[str, Any] = getattr(definition, "metadata", None) or {}
    found = metadata.get(COST)
    return found if isinstance(found, FieldCost) else None


def _is_record(named: GraphQLNamedType) -> bool:
    if isinstance(named, GraphQLObjectType):
        return any(interface.name == "Node" for interface in named.interfaces)
    if isinstance(named, GraphQLInterfaceType):
        return named.name == "Node"
    if isinstance(named, GraphQLUnionType):
        return all(_is_record(member) for member in named.types)
    return False


def _is_list(field: GraphQLField) -> bool:
    shape = field.type
    if isinstance(shape, GraphQLNonNull):
        shape = shape.of_type
    return isinstance(shape, GraphQLList)


class _Pricer:
    def __init__(
        self, schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Mapping[str, Any]
    ) -> None:
        self.schema = schema
        self.root = schema.get_root_type(operation.operation)
        self.is_mutation = operation.operation is OperationType.MUTATION
        self.variables = dict(variables)
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name not in self.variables and definition.default_value is not None:
                self.variables[name] = value_from_ast_untyped(definition.default_value)
        self.fragments: dict[str, _Price] = {}

    def price_fragments(self, definitions: dict[str, FragmentDefinitionNode]) -> None:
        """Each fragment once, those it spreads first (no recursion along chains of fragments)."""
        needs = {name: set(_spreads(definition.selection_set)) for name, definition in definitions.items()}
        for name in leaves_first(needs):
            definition = definitions[name]
            on = self.schema.get_type(definition.type_condition.name.value)
            self.fragments[name] = self.selection(definition.selection_set, on)

    def selection(self, selection_set: SelectionSetNode, parent: Any) -> _Price:
        price = _Price()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                price += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                price += self.selection(selection.selection_set, on)
            elif isinstance(selection, FragmentSpreadNode):
                # Unknown or cyclic fragments are refused by validation, which runs before.
                price += self.fragments.get(selection.name.value, _Price())
        return price

    def field(self, node: FieldNode, parent: Any) -> _Price:
        fields = getattr(parent, "fields", None)
        field = fields.get(node.name.value) if fields is not None else None
        if field is None:  # __typename and introspection
            return _Price()
        declared = _declared(field) or FieldCost()
        named = get_named_type(field.type)
        weight = declared.weight if declared.weight is not None else self._default_weight(parent)
        item = declared.item if declared.item is not None else (RECORD_COST if _is_record(named) else 0.0)
        first = self._first(field, node, declared)
        inner = self.selection(node.selection_set, named) if node.selection_set is not None else _Price()
        if not _is_list(field):
            sized = first * declared.per_first if first is not None else 0.0
            return _Price(weight + sized + inner.fixed + inner.per_page * _page(first), item + inner.records)
        each = item + inner.total(None)
        if declared.count_argument is not None:
            return _Price(weight + self._count(field, node, declared) * each)
        if first is not None:
            return _Price(weight + first * each)
        if declared.page or "pageInfo" in parent.fields:
            return _Price(weight, per_page=each)
        # Sized by the data: only the weighted fields under it are charged per item.
        return _Price(weight + (declared.size or DEFAULT_LIST_SIZE) * (inner.total(None) - inner.records))

    def _default_weight(self, parent: Any) -> float:
        if parent is not self.root:
            return 0.0
        return MUTATION_WEIGHT if self.is_mutation else ROOT_WEIGHT

    def _argument(self, field: GraphQLField, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = value_from_ast_untyped(argument.value, self.variables)
                return None if value is Undefined else value
        defined = field.args.get(name)
        return None if defined is None or defined.default_value is Undefined else defined.default_value

    def _first(self, field: GraphQLField, node: FieldNode, declared: FieldCost) -> int | None:
        if "first" not in field.args:
            return None
        # Paging backwards, `last` sizes the page and `first` is ignored (schema.connection).
        last = self._argument(field, node, "last") if "last" in field.args else None
        given = (
            last
            if isinstance(last, int) and not isinstance(last, bool)
            else self._argument(field, node, "first")
        )
        if not isinstance(given, int) or isinstance(given, bool):
            # null (the resolver's default applies) or a value execution will refuse: the schema's default.
            given = field.args["first"].default_value
            if not isinstance(given, int) or isinstance(given, bool):
                given = declared.max_first
        return max(0, min(given, declared.max_first))

    def _count(self, field: GraphQLField, node: FieldNode, declared: FieldCost) -> int:
        name = declared.count_argument
        assert name is not None
        given = self._argument(field, node, name)
        count = len(given) if isinstance(given, list) else int(given is not None)
        if declared.max_count is not None and count > declared.max_count:
            raise list_too_long(f"{node.name.value}({name}:)", count, declared.max_count)
        return count


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    found: list[str] = []
    waiting = [selection_set]
    while waiting:
        for selection in waiting.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                found.append(selection.name.value)
            elif (
                isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set is not None
            ):
                waiting.append(selection.selection_set)
    return found


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """The cost of the operation `operation_name` of a validated document; raises a LIST_TOO_LONG
    GraphQLError for a list argument over its cap."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return MINIMUM_COST
    pricer = _Pricer(schema, operation, variables or {})
    definitions = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    pricer.price_fragments(definitions)
    total = pricer.selection(operation.selection_set, pricer.root).total(None)
    if not total <= COST_CEILING:  # also NaN: nothing times an overflowing selection
        return COST_CEILING
    return max(MINIMUM_COST, math.ceil(total))
