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

from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Any, TypeVar

from graphql import GraphQLObjectType, GraphQLSchema
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
_MISSING = object()


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
            found = values.get(name, _MISSING)
            if found is not _MISSING:
                return found
        return original(source, info, **kwargs)

    return resolve


def install_presets(schema: GraphQLSchema) -> None:
    """Wraps the resolvers of preset fields (and of every Node's `id`) so that they read presets first."""
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        is_node = any(interface.name == "Node" for interface in named.interfaces)
        for field_name, graphql_field in named.fields.items():
            definition = graphql_field.extensions.get("strawberry-definition")
            metadata: Mapping[str, Any] = getattr(definition, "metadata", None) or {}
            if not (metadata.get(PRESET) or (is_node and field_name == "id")):
                continue
            if graphql_field.args or getattr(definition, "permission_classes", None):
                raise TypeError(
                    f"{named.name}.{field_name} takes arguments or permissions: it cannot be preset"
                )
            if graphql_field.resolve is not None:
                graphql_field.resolve = _preset_resolver(definition.python_name, graphql_field.resolve)
