from __future__ import annotations

from typing import Annotated

import strawberry

from hub.searches.errors import SavedSearchError as DomainSavedSearchError
from hub.searches.services import SavedSearchDraft, create_saved_search
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID_ECHO, ERRORS
from schema.search.types import SearchFilter, SearchOrder
from schema.searches.mutations.common import checked_filter, saved_search_errors
from schema.searches.types import SavedSearch, SavedSearchError


@strawberry.input(description="A search to save: the arguments of the `search` field, and a name.")
class SavedSearchCreateInput:
    name: str = strawberry.field(description="Unique among your saved searches (case does not count).")
    query: str = strawberry.field(default="", description="As the `search` field's `query`.")
    filter: SearchFilter | None = strawberry.field(default=None, description="As the `search` field's.")
    order_by: SearchOrder = strawberry.field(
        default=SearchOrder.RELEVANCE, description="As the `search` field's `orderBy`."
    )
    notify: bool = strawberry.field(
        default=False, description="Notify in-app when results are added from now on (checked periodically)."
    )
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Set by the client; a retry with the same value returns the first one."
    )


@strawberry.type(description="What `savedSearchCreate` answers.")
class SavedSearchCreatePayload:
    saved_search: SavedSearch | None = strawberry.field(description="The saved search; null when refused.")
    created: bool = strawberry.field(description="False when a retry returned the saved search made first.")
    errors: list[SavedSearchError] = strawberry.field(description=ERRORS)
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID_ECHO)


async def saved_search_create(
    info: Info,
    input: Annotated[SavedSearchCreateInput, strawberry.argument(description="The search to save.")],
) -> SavedSearchCreatePayload:
    """Save a search for yourself (staff users only)."""
    try:
        made = await create_saved_search(
            info.context.principal,
            SavedSearchDraft(
                name=input.name,
                query=input.query,
                filter=checked_filter(input.filter),
                order=input.order_by.value,
                notify=input.notify,
            ),
            limit=info.context.clients.settings.max_saved_searches_per_user,
            client_mutation_id=input.client_mutation_id,
        )
    except DomainSavedSearchError as error:
        return SavedSearchCreatePayload(
            saved_search=None,
            created=False,
            errors=saved_search_errors(error),
            client_mutation_id=input.client_mutation_id,
        )
    return SavedSearchCreatePayload(
        saved_search=SavedSearch.from_model(made.saved),
        created=made.created,
        errors=[],
        client_mutation_id=input.client_mutation_id,
    )
