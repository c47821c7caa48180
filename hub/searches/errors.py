from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class SavedSearchErrorCode(StrEnum):
    SAVED_SEARCH_NOT_FOUND = "SAVED_SEARCH_NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    INVALID_NAME = "INVALID_NAME"
    DUPLICATE_NAME = "DUPLICATE_NAME"
    INVALID_QUERY = "INVALID_QUERY"
    INVALID_FILTER = "INVALID_FILTER"
    TOO_MANY_SAVED_SEARCHES = "TOO_MANY_SAVED_SEARCHES"
    INVALID_CLIENT_MUTATION_ID = "INVALID_CLIENT_MUTATION_ID"
    CONFLICT = "CONFLICT"


class SavedSearchError(DomainError):
    def __init__(self, code: SavedSearchErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)
