from __future__ import annotations

from typing import Any

from strawberry import relay

from hub.searches.errors import SavedSearchError as DomainSavedSearchError
from hub.searches.errors import SavedSearchErrorCode as SavedSearchErrorCodeModel
from schema.search.filters import plain_filter, to_filters
from schema.search.types import SearchFilter
from schema.searches.types import SavedSearchError, SavedSearchErrorCode
from schema.security import ClientError


def saved_search_errors(error: DomainSavedSearchError) -> list[SavedSearchError]:
    return [SavedSearchError(field=error.field, message=error.message, code=SavedSearchErrorCode(error.code))]


def saved_search_id(value: relay.GlobalID) -> str:
    if value.type_name != "SavedSearch":
        raise DomainSavedSearchError(
            SavedSearchErrorCodeModel.SAVED_SEARCH_NOT_FOUND, "`id` must be the id of a SavedSearch", "id"
        )
    return value.node_id


def checked_filter(given: SearchFilter | None) -> dict[str, Any]:
    """The filter to store, refused exactly when the `search` field would refuse it."""
    try:
        to_filters(given)
    except ClientError as error:
        raise DomainSavedSearchError(SavedSearchErrorCodeModel.INVALID_FILTER, str(error), "filter") from None
    return plain_filter(given)
