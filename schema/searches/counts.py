"""`newCount` of saved searches: how many hits were created since the viewer last looked, for a whole page of
saved searches in one Elasticsearch round trip (msearch), each through the same query builder and scope
filter as the `search` field."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hub.searches.filters import SearchFilters, read_filter
from hub.searches.models import SavedSearch as SavedSearchModel
from schema.context import Info
from search.filters import SearchOrder
from search.service import SearchRequest, search_body, search_indices


def new_since(saved: SavedSearchModel) -> datetime:
    """When the owner last looked at the results (`savedSearchMarkViewed`), else when it was saved."""
    return saved.last_viewed_at or saved.created_at


def search_filters_of(saved: SavedSearchModel, *, new_only: bool = False) -> SearchFilters:
    """The saved filter as the search reads it (as the worker's check reads it too)."""
    filters = read_filter(saved.filter)
    return dataclasses.replace(filters, created_after=new_since(saved)) if new_only else filters


async def new_counts(info: Info, saved_searches: Sequence[SavedSearchModel]) -> list[int]:
    scope = info.context.principal.scope
    if not saved_searches or scope.is_empty:
        return [0] * len(saved_searches)
    clients = info.context.clients
    prefix = clients.settings.es_index_prefix
    searches: list[dict[str, Any]] = []
    for saved in saved_searches:
        filters = search_filters_of(saved, new_only=True)
        request = SearchRequest(text=saved.query, filters=filters, order=SearchOrder(saved.order), first=0)
        body = search_body(request, scope)
        body.pop("highlight", None)
        searches += [{"index": search_indices(prefix, filters)}, {**body, "size": 0}]
    response = await clients.es.msearch(searches=searches)
    counts = []
    for item in response["responses"]:
        if "error" in item:
            raise RuntimeError(f"counting new results failed: {item['error']}")
        counts.append(int(item["hits"]["total"]["value"]))
    return counts
