from __future__ import annotations

import strawberry
from strawberry import relay

from hub.searches.errors import SavedSearchError as DomainSavedSearchError
from hub.searches.services import delete_saved_search
from schema.context import Info
from schema.searches.mutations.common import saved_search_errors, saved_search_id
from schema.searches.types import SavedSearchError


@strawberry.type
class SavedSearchDeletePayload:
    deleted_id: relay.GlobalID | None = strawberry.field(description="The id of the deleted saved search.")
    errors: list[SavedSearchError]


async def saved_search_delete(info: Info, id: relay.GlobalID) -> SavedSearchDeletePayload:
    """Delete one of your saved searches; the notifications it sent stay."""
    try:
        deleted = await delete_saved_search(info.context.principal, saved_search_id(id))
    except DomainSavedSearchError as error:
        return SavedSearchDeletePayload(deleted_id=None, errors=saved_search_errors(error))
    return SavedSearchDeletePayload(deleted_id=relay.GlobalID("SavedSearch", deleted), errors=[])
