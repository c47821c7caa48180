"""Resolving related objects without an await per item, and without a resolver call per item.

A list resolver loads the related objects of a whole page in bulk (DataLoader `load_many`, so still one
query per kind); item fields then read the loader's cache synchronously and only fall back to an await
when something was not prefetched. In graphql-core, an await per field of every item is what makes long
lists slow, far more than the queries.

Going further, a list resolver may build each related object once per page (nine regions for a hundred
reports, not a hundred) and hand them to its items as *presets*: a field declared with `metadata=preset()`
(and the `id` of every Node) then resolves to the preset value straight from graphql-core, without
Strawberry's resolver wrapper (its Info object, argument conversion and extension chain cost more than the
field itself). An item without a preset for the field resolves it through its resolver as before, so the
resolver stays the one source of truth and presets are only a shortcut. Only fields without arguments and
without permission classes may be preset (install_presets refuses others).
"""

from __future__ import annotations

import operator
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema
from strawberry.dataloader import DataLoader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")


def cached(loader: DataLoader[K, V], key: K, convert: Callable[[V], R]) -> R | Awaitable[R]:
    """`convert(value)` at once when the loader already holds the value, else an awaitable of it."""
    future = loader.cache_map.get(key)
    if future is not None and future.done() and not future.cancelled() and future.exception() is None:
        return convert(future.result())

    async def later() -> R:
        return convert(await loader.load(key))

    return later()


def fields_by_name(selections: Iterable[Any]) -> dict[str, list[Any]]:
    """The fields selected, by name (fragments flattened), each with the selections under it."""
    found: dict[str, list[Any]] = {}
    waiting = list(selections)
    while waiting:
        selection = waiting.pop()
        if hasattr(selection, "type_condition"):  # an inline fragment or a fragment spread
            waiting.extend(selection.selections)
        else:
            found.setdefault(selection.name, []).extend(selection.selections)
    return found


def requested(info: Any, *path: str) -> bool:
    """Whether the operation selects this path below the current field (e.g. `nodes`, `region`)."""
    selections = info.selected_fields
    for name in path:
        found = [
            child
            for selection in selections
            for child in getattr(selection, "selections", [])
            if getattr(child, "name", None) == name
        ]
        if not found:
            return False
        selections = found
    return True


PRESET = "pantau.preset"
_PRESETS = "_pantau_presets"
_INLINE = "_pantau_inline"
MISSING: Any = object()
"""What an inline reader returns when it cannot tell the value (no preset): the resolver must run."""


def preset() -> dict[str, bool]:
    """Field metadata: list resolvers may hand this field's value to an item (`give_presets`)."""
    return {PRESET: True}


def give_presets(item: object, values: Mapping[str, Any]) -> None:
    """Sets the values (by Python field name) the preset fields of `item` resolve to."""
    setattr(item, _PRESETS, values)


def _preset_resolver(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        values = getattr(source, _PRESETS, None)
        if values is not None:
            found = values.get(name, MISSING)
            if found is not MISSING:
                return found
        return original(source, info, **kwargs)

    def read(source: Any) -> Any:
        values = getattr(source, _PRESETS, None)
        return MISSING if values is None else values.get(name, MISSING)

    resolve._pantau_read = read  # type: ignore[attr-defined]
    return resolve


def _attribute(name: str) -> Callable[..., Any]:
    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        return getattr(source, name)

    resolve._pantau_read = operator.attrgetter(name)  # type: ignore[attr-defined]
    return resolve


def _mark_inline(field: GraphQLField) -> None:
    """Lets schema.execution complete the field inline: what reads its value without an Info."""
    read = getattr(field.resolve, "_pantau_read", None)
    if read is not None and not field.args:
        setattr(field.resolve, _INLINE, read)


def inline_reader(resolve: Any) -> Callable[[Any], Any] | None:
    """What reads the field's value from its parent without an Info (MISSING: the resolver must run)."""
    found: Callable[[Any], Any] | None = getattr(resolve, _INLINE, None)
    return found


def install_presets(schema: GraphQLSchema) -> None:
    """Wraps the resolvers of preset fields (and of every Node's `id`, preset as `id`) so that they read
    presets first. Also gives the fields without a resolver a plain attribute read: what Strawberry's own
    does for them (its default resolver is getattr), in one call instead of three."""
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        is_node = any(interface.name == "Node" for interface in named.interfaces)
        for field_name, graphql_field in named.fields.items():
            definition = graphql_field.extensions.get("strawberry-definition")
            if definition is None or graphql_field.resolve is None:
                continue
            if getattr(graphql_field.resolve, "_is_default", False) and definition.is_basic_field:
                graphql_field.resolve = _attribute(definition.python_name)
                _mark_inline(graphql_field)
                continue
            metadata: Mapping[str, Any] = definition.metadata or {}
            node_id = is_node and field_name == "id"
            if not (metadata.get(PRESET) or node_id):
                continue
            if graphql_field.args or definition.permission_classes:
                raise TypeError(
                    f"{named.name}.{field_name} takes arguments or permissions: it cannot be preset"
                )
            name = "id" if node_id else definition.python_name
            graphql_field.resolve = _preset_resolver(name, graphql_field.resolve)
            _mark_inline(graphql_field)
