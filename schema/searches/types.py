from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, TypeAlias

import strawberry
from strawberry import relay

from hub.searches.errors import SavedSearchErrorCode as SavedSearchErrorCodeModel
from hub.searches.listing import own_saved_searches
from hub.searches.models import SavedSearch as SavedSearchModel
from schema.connection import After
from schema.context import Info
from schema.cost import cost
from schema.describe import ERROR_CODE, ERROR_FIELD, ERROR_MESSAGE, error_codes
from schema.fields import field
from schema.search.queries import search_connection
from schema.search.types import SearchHitConnection, SearchOrder
from schema.searches.counts import new_counts, new_since, search_filters_of
from schema.searches.filters import SavedSearchFilter, filter_output

error_codes(
    SavedSearchErrorCodeModel,
    name="SavedSearchErrorCode",
    noun="saved search",
    values={
        "SAVED_SEARCH_NOT_FOUND": "None of your saved searches has this id (others' are never shown).",
        "PERMISSION_DENIED": "Only staff accounts save searches.",
        "INVALID_NAME": "The name is empty or longer than 100 characters.",
        "DUPLICATE_NAME": "Another of your saved searches has this name (case does not count).",
        "INVALID_QUERY": "The query is longer than 500 characters.",
        "INVALID_FILTER": "The filter would be refused by `search` (`message` says why).",
        "TOO_MANY_SAVED_SEARCHES": "You have as many saved searches as one account may keep.",
    },
)
SavedSearchErrorCode: TypeAlias = SavedSearchErrorCodeModel


@strawberry.type(description="Why a saved-search mutation did nothing.")
class SavedSearchError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: SavedSearchErrorCode = strawberry.field(description=ERROR_CODE)


@strawberry.type(
    description="A search the signed-in user saved: what was asked, never what was found. Its results are "
    "always those the viewer may see now, whatever they could see when it was saved."
)
class SavedSearch(relay.Node):
    saved_search_id: relay.NodeID[str]
    name: str = strawberry.field(description="Its name, unique among your saved searches.")
    query: str = strawberry.field(description="The `search` field's `query` it runs.")
    order_by: SearchOrder = strawberry.field(description="The order of its results.")
    notify: bool = strawberry.field(description="Whether new results are notified in-app.")
    created_at: datetime = strawberry.field(description="When it was saved.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    last_viewed_at: datetime | None = strawberry.field(
        description="When `savedSearchMarkViewed` was last called; fetching `results` does not change it."
    )
    version: int = strawberry.field(description="Grows with every change; send it as `expectedVersion`.")
    model: strawberry.Private[SavedSearchModel]
    counted_new: strawberry.Private[int | None] = None

    @classmethod
    def from_model(cls, saved: SavedSearchModel, counted_new: int | None = None) -> SavedSearch:
        return cls(
            saved_search_id=str(saved.id),
            name=saved.name,
            query=saved.query,
            order_by=SearchOrder(saved.order),
            notify=saved.notify,
            created_at=saved.created_at,
            updated_at=saved.updated_at,
            last_viewed_at=saved.last_viewed_at,
            version=saved.version,
            model=saved,
            counted_new=counted_new,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await own_saved_searches(info.context.principal, list(node_ids))
        return [cls.from_model(saved) if saved else None for saved in found]

    @field(description="The `search` filter it was saved with; empty parts are left out.")
    def filter(self) -> SavedSearchFilter:
        return filter_output(self.model.filter)

    @field(
        description="Results count as new when they were added to the hub after this: when the viewer last "
        "called `savedSearchMarkViewed`, or else when the search was saved."
    )
    def new_since(self) -> datetime:
        return new_since(self.model)

    @field(
        description="How many results, of those the viewer may see now, are new since `newSince`.",
        metadata=cost(weight=1),  # a count in Elasticsearch per saved search
    )
    async def new_count(self, info: Info) -> int:
        if self.counted_new is not None:
            return self.counted_new
        (count,) = await new_counts(info, [self.model])
        return count

    @field(
        description="Runs the saved search now, exactly as the `search` field would with its query, filter "
        "and order, over what the viewer may see now. With `newOnly`, only the results new since `newSince`. "
        "Fetching results does not mark them viewed: call `savedSearchMarkViewed`.",
        metadata=cost(weight=1),  # a search in Elasticsearch per saved search
    )
    async def results(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description="How many hits, 0 to 100 (null: 10).")
        ] = 10,
        after: After = None,
        new_only: Annotated[
            bool, strawberry.argument(description="Only the results new since `newSince`.")
        ] = False,
    ) -> SearchHitConnection:
        return await search_connection(
            info,
            query=self.model.query,
            filters=search_filters_of(self.model, new_only=new_only),
            order_by=SearchOrder(self.model.order),
            first=first,
            after=after,
        )


@strawberry.type(description="A page of the viewer's saved searches, by name.")
class SavedSearchConnection(relay.Connection[SavedSearch]):
    total_count: int = strawberry.field(description="How many saved searches the viewer has.")

    @field(description="The saved searches of this page, without edges.")
    def nodes(self) -> list[SavedSearch]:
        return [edge.node for edge in self.edges]
