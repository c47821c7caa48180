from __future__ import annotations

import strawberry
from strawberry import relay

from hub.searches.listing import list_saved_searches
from hub.searches.models import SavedSearch as SavedSearchModel
from schema.context import Info
from schema.fields import field
from schema.pagination import decode_cursor, encode_cursor, page_size
from schema.permissions import IsUser
from schema.prefetch import requested
from schema.searches.counts import new_counts
from schema.searches.types import SavedSearch, SavedSearchConnection

CURSOR_KIND = "saved-search"


def _cursor(saved: SavedSearchModel) -> str:
    return encode_cursor(CURSOR_KIND, saved.name_key)


@strawberry.type
class SavedSearchQueries:
    @field(
        description="The signed-in user's own saved searches, by name. Partner tokens have none.",
        permission_classes=[IsUser],
    )
    async def saved_searches(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> SavedSearchConnection:
        size = page_size(first)
        page = await list_saved_searches(
            info.context.principal, after=decode_cursor(CURSOR_KIND, after) if after else None, first=size
        )
        counts: list[int | None] = [None] * len(page.items)
        if requested(info, "nodes", "newCount") or requested(info, "edges", "node", "newCount"):
            counts = list(await new_counts(info, page.items))  # the whole page in one round trip
        edges = [
            relay.Edge(cursor=_cursor(saved), node=SavedSearch.from_model(saved, counted_new=count))
            for saved, count in zip(page.items, counts, strict=True)
        ]
        return SavedSearchConnection(
            edges=edges,
            total_count=page.total_count,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
