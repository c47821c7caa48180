from __future__ import annotations

import strawberry

from hub.searches.errors import SavedSearchError as DomainSavedSearchError
from hub.searches.services import mark_viewed
from schema.context import Info
from schema.describe import ERRORS
from schema.searches.mutations.common import SavedSearchId, saved_search_errors, saved_search_id
from schema.searches.types import SavedSearch, SavedSearchError


@strawberry.type(description="What `savedSearchMarkViewed` answers.")
class SavedSearchMarkViewedPayload:
    saved_search: SavedSearch | None = strawberry.field(description="The saved search as it is now.")
    errors: list[SavedSearchError] = strawberry.field(description=ERRORS)


async def saved_search_mark_viewed(info: Info, id: SavedSearchId) -> SavedSearchMarkViewedPayload:
    """You have seen the results of one of your saved searches: `newCount` counts from now on."""
    try:
        saved = await mark_viewed(info.context.principal, saved_search_id(id))
    except DomainSavedSearchError as error:
        return SavedSearchMarkViewedPayload(saved_search=None, errors=saved_search_errors(error))
    return SavedSearchMarkViewedPayload(saved_search=SavedSearch.from_model(saved), errors=[])
