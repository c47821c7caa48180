"""The `search` field's `filter` input as plain values, and as the search reads it: through
hub.searches.filters, the same reading a saved search's stored filter gets."""

from __future__ import annotations

import dataclasses
from typing import Any

from hub.searches.filters import InvalidSearchFilter, SearchFilters, read_filter
from schema.error_codes import ClientError
from schema.search.types import SearchFilter


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [getattr(item, "value", item) for item in value]
    return value


def plain_filter(given: SearchFilter | None) -> dict[str, Any]:
    """The parts of the filter that narrow anything, as plain values (how a saved search stores it)."""
    if given is None:
        return {}
    plain = {}
    for field in dataclasses.fields(given):
        value = getattr(given, field.name)
        if value is None or value == [] or value == "":
            continue
        plain[field.name] = _plain(value)
    return plain


def to_filters(given: SearchFilter | None) -> SearchFilters:
    """The filter as the search reads it; a value it cannot read is the client's error."""
    try:
        return read_filter(plain_filter(given))
    except InvalidSearchFilter as error:
        raise ClientError(error.message) from None
