"""Every connection is built here, from a page of a listing: edges, nodes, pageInfo and totalCount.

A cursor is sealed (encrypted and authenticated, hub.core.paging): that costs a little per cursor, and a page
of a hundred rows asked only for its nodes should not pay it. So an edge's cursor, and the page info's start
and end cursors, are made only when the client selects them, and once each. The objects returned here stand in
for the declared edge and PageInfo types (GraphQL reads fields by name): the declared types keep the SDL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

import strawberry

from hub.core.paging import MAX_PAGE_SIZE, Page
from schema.prefetch import give_presets

# Relay's paging arguments, the same on every connection field.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"Paging forwards: how many items, 0 to {MAX_PAGE_SIZE} unless the field says otherwise "
        "(null: the default)."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Paging forwards: the items after this cursor (the previous page's `pageInfo.endCursor`)."
    ),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description="Paging backwards: how many items, taken just before `before` (or the last ones); "
        "`first` is then ignored. The items still come in the field's order."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Paging backwards: the items before this cursor (the next page's "
        "`pageInfo.startCursor`); not with `after`."
    ),
]

# The fields every hand-written connection and edge type shares.
CURSOR = "Where this item is in the list: pass it as `after` (or `before`) to page from it."
PAGE_INFO = "Where this page is in the list, and the cursors to page on from it."

Row = TypeVar("Row")
Node = TypeVar("Node")
C = TypeVar("C")


class LazyEdge(Generic[Row, Node]):
    """An edge whose cursor is made from its row on first read."""

    __slots__ = ("_cursor", "_cursor_of", "_row", "node")

    def __init__(self, row: Row, node: Node, cursor_of: Callable[[Row], str]) -> None:
        self._row = row
        self._cursor_of = cursor_of
        self._cursor: str | None = None
        self.node = node

    @property
    def cursor(self) -> str:
        if self._cursor is None:
            self._cursor = self._cursor_of(self._row)
        return self._cursor


class LazyPageInfo:
    """Relay's PageInfo, its cursors those of the page's first and last rows (made on first read)."""

    __slots__ = ("_first", "_last", "has_next_page", "has_previous_page")

    def __init__(
        self, rows: Sequence[LazyEdge[Any, Any]], *, has_next_page: bool, has_previous_page: bool
    ) -> None:
        self._first = rows[0] if rows else None
        self._last = rows[-1] if rows else None
        self.has_next_page = has_next_page
        self.has_previous_page = has_previous_page

    @property
    def start_cursor(self) -> str | None:
        return self._first.cursor if self._first else None

    @property
    def end_cursor(self) -> str | None:
        return self._last.cursor if self._last else None


def connection(
    declared: Callable[..., C],
    page: Page[Row],
    nodes: Sequence[Node | None] | Callable[[Row], Node | None],
    *,
    cursor: Callable[[Row], str],
    after: str | None = None,
    **fields: Any,
) -> C:
    """The connection of type `declared` over a page: `nodes` are the GraphQL objects of the page's rows, in
    order (or what makes one from a row); a row whose node is None (the viewer may no longer see it) has no
    edge, but the page's cursors still count it, so the next page starts after it. `fields` are the
    connection's own further fields. A backward page (`last`, `before`) comes in the listing's order too, and
    its page info says whether rows lie before it (`hasPreviousPage`) and after it (`hasNextPage`)."""
    made = [nodes(row) for row in page.items] if callable(nodes) else nodes
    rows = [LazyEdge(row, node, cursor) for row, node in zip(page.items, made, strict=True)]
    edges = [row for row in rows if row.node is not None]
    built = declared(
        edges=edges,
        page_info=LazyPageInfo(
            rows,
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page or after is not None,
        ),
        total_count=page.total_count,
        **fields,
    )
    # A connection's `nodes` declared with `metadata=preset()` is read from here (schema.prefetch).
    give_presets(built, {"nodes": [edge.node for edge in edges]})
    return built
