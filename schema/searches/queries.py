from __future__ import annotations

import strawberry

from hub.searches.listing import list_saved_searches, saved_searches_order
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsUser
from schema.prefetch import requested
from schema.searches.counts import new_counts
from schema.searches.types import SavedSearch, SavedSearchConnection
from schema.sync.arguments import UpdatedSince


@strawberry.type
class SavedSearchQueries:
    @field(
        description="The signed-in user's own saved searches, by name. Partner tokens have none.",
        permission_classes=[IsUser],
    )
    async def saved_searches(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> SavedSearchConnection:
        keyset = saved_searches_order(updated_since)
        position, size = keyset.window(first=first, after=after, last=last, before=before)
        page = await list_saved_searches(
            info.context.principal, after=position, first=size, updated_since=updated_since
        )
        counts: list[int | None] = [None] * len(page.items)
        if requested(info, "nodes", "newCount") or requested(info, "edges", "node", "newCount"):
            counts = list(await new_counts(info, page.items))  # the whole page in one round trip
        return connection(
            SavedSearchConnection,
            page,
            [
                SavedSearch.from_model(saved, counted_new=count)
                for saved, count in zip(page.items, counts, strict=True)
            ],
            cursor=keyset.cursor,
        )
