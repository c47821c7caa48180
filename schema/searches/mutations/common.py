from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import relay

from hub.searches.errors import SavedSearchError as DomainSavedSearchError
from hub.searches.errors import SavedSearchErrorCode as SavedSearchErrorCodeModel
from schema.error_codes import ClientError
from schema.mutations import MutationErrors
from schema.search.filters import plain_filter, to_filters
from schema.search.types import SearchFilter
from schema.searches.types import SavedSearchError

SAVED_SEARCH_ERRORS = MutationErrors(DomainSavedSearchError, SavedSearchError)
saved_search_errors = SAVED_SEARCH_ERRORS.typed
SavedSearchId = Annotated[relay.GlobalID, strawberry.argument(description="The saved search's id.")]


def saved_search_id(value: relay.GlobalID) -> str:
    return SAVED_SEARCH_ERRORS.raw_id(value, "SavedSearch", SavedSearchErrorCodeModel.SAVED_SEARCH_NOT_FOUND)


def checked_filter(given: SearchFilter | None) -> dict[str, Any]:
    """The filter to store, refused exactly when the `search` field would refuse it."""
    try:
        to_filters(given)
    except ClientError as error:
        raise DomainSavedSearchError(
            SavedSearchErrorCodeModel.INVALID_FILTER, error.message, "filter"
        ) from None
    return plain_filter(given)
