"""Resolving related objects without an await per item.

A list resolver loads the related objects of a whole page in bulk (DataLoader `load_many`, so still one
query per kind); item fields then read the loader's cache synchronously and only fall back to an await
when something was not prefetched. In graphql-core, an await per field of every item is what makes long
lists slow, far more than the queries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

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
