from __future__ import annotations

from typing import Annotated

import strawberry

from hub.searches.errors import SavedSearchError as DomainSavedSearchError
from hub.searches.services import SavedSearchChanges, update_saved_search
from schema.context import Info
from schema.describe import ERRORS, EXPECTED_VERSION
from schema.search.types import SearchFilter, SearchOrder
from schema.searches.mutations.common import (
    SavedSearchId,
    checked_filter,
    saved_search_errors,
    saved_search_id,
)
from schema.searches.types import SavedSearch, SavedSearchError


@strawberry.input(description="What to change; parts left out (or null) stay as they are.")
class SavedSearchUpdateInput:
    name: str | None = strawberry.field(default=None, description="A new name.")
    query: str | None = strawberry.field(default=None, description="A new query.")
    filter: SearchFilter | None = strawberry.field(
        default=None, description="Replaces the whole filter; `{}` removes it."
    )
    order_by: SearchOrder | None = strawberry.field(default=None, description="A new order.")
    notify: bool | None = strawberry.field(
        default=None, description="Switched on, results added from now on are notified."
    )
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)


@strawberry.type(description="What `savedSearchUpdate` answers.")
class SavedSearchUpdatePayload:
    saved_search: SavedSearch | None = strawberry.field(description="The saved search as it is now.")
    errors: list[SavedSearchError] = strawberry.field(description=ERRORS)


async def saved_search_update(
    info: Info,
    id: SavedSearchId,
    input: Annotated[SavedSearchUpdateInput, strawberry.argument(description="What to change.")],
) -> SavedSearchUpdatePayload:
    """Change one of your saved searches."""
    try:
        saved = await update_saved_search(
            info.context.principal,
            saved_search_id(id),
            SavedSearchChanges(
                name=input.name,
                query=input.query,
                filter=checked_filter(input.filter) if input.filter is not None else None,
                order=input.order_by.value if input.order_by is not None else None,
                notify=input.notify,
            ),
            expected_version=input.expected_version,
        )
    except DomainSavedSearchError as error:
        return SavedSearchUpdatePayload(saved_search=None, errors=saved_search_errors(error))
    return SavedSearchUpdatePayload(saved_search=SavedSearch.from_model(saved), errors=[])
