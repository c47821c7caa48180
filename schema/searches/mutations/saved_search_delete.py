from __future__ import annotations

import strawberry
from strawberry import relay

from hub.searches.errors import SavedSearchError as DomainSavedSearchError
from hub.searches.services import delete_saved_search
from schema.context import Info
from schema.describe import ERRORS
from schema.searches.mutations.common import SavedSearchId, saved_search_errors, saved_search_id
from schema.searches.types import SavedSearchError


@strawberry.type(description="What `savedSearchDelete` answers.")
class SavedSearchDeletePayload:
    deleted_id: relay.GlobalID | None = strawberry.field(description="The id of the deleted saved search.")
    errors: list[SavedSearchError] = strawberry.field(description=ERRORS)


async def saved_search_delete(info: Info, id: SavedSearchId) -> SavedSearchDeletePayload:
    """Delete one of your saved searches; the notifications it sent stay."""
    try:
        deleted = await delete_saved_search(info.context.principal, saved_search_id(id))
    except DomainSavedSearchError as error:
        return SavedSearchDeletePayload(deleted_id=None, errors=saved_search_errors(error))
    return SavedSearchDeletePayload(deleted_id=relay.GlobalID("SavedSearch", deleted), errors=[])
