from __future__ import annotations

import strawberry
from strawberry import relay

from hub.searches.filters import SearchFilters
from schema.context import Info
from schema.fields import field
from schema.pagination import PaginationError, page_size
from schema.permissions import IsAuthenticated
from schema.prefetch import requested
from schema.search.filters import to_filters
from schema.search.results import hydrate
from schema.search.types import (
    SearchFacetBucket,
    SearchFacets,
    SearchFilter,
    SearchHitConnection,
    SearchOrder,
)
from search.filters import InvalidSearchCursor
from search.service import FacetBucket, SearchRequest
from search.service import search as run_search


def _facets(found: dict[str, list[FacetBucket]] | None) -> SearchFacets | None:
    if found is None:
        return None

    def buckets(name: str) -> list[SearchFacetBucket]:
        return [SearchFacetBucket(key=bucket.key, count=bucket.count) for bucket in found.get(name, [])]

    return SearchFacets(
        province=buckets("province"),
        kind=buckets("kind"),
        category=buckets("category"),
        period=buckets("period"),
    )


async def search_connection(
    info: Info,
    *,
    query: str,
    filters: SearchFilters,
    order_by: SearchOrder,
    first: int | None,
    after: str | None,
) -> SearchHitConnection:
    """One page of a search as the viewer may see it now: the `search` field, and a saved search's
    `results`, both run through here."""
    request = SearchRequest(
        text=query,
        filters=filters,
        order=order_by,
        first=page_size(first, default=10),
        after=after or None,
        facets=requested(info, "facets"),
    )
    clients = info.context.clients
    try:
        page = await run_search(
            clients.es, clients.settings.es_index_prefix, request, scope=info.context.principal.scope
        )
    except InvalidSearchCursor as error:
        raise PaginationError(str(error)) from None
    edges = await hydrate(info, page.hits)
    return SearchHitConnection(
        edges=edges,
        total_count=page.total_count,
        facets=_facets(page.facets),
        page_info=relay.PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=after is not None,
            start_cursor=page.hits[0].cursor if page.hits else None,
            # The last hit's cursor even when that record was dropped (changed scope meanwhile).
            end_cursor=page.hits[-1].cursor if page.hits else None,
        ),
    )


@strawberry.type
class SearchQueries:
    @field(
        description="Full-text search in Indonesian over reports, incidents, cases and documents. Syntax: "
        'words, "phrases", `|` or OR for either, `-` or NOT to exclude; small typos are forgiven. Only what '
        "the viewer may see is searched.",
        permission_classes=[IsAuthenticated],
    )
    async def search(
        self,
        info: Info,
        query: str = "",
        filter: SearchFilter | None = None,
        order_by: SearchOrder = SearchOrder.RELEVANCE,
        first: int | None = 10,
        after: str | None = None,
    ) -> SearchHitConnection:
        return await search_connection(
            info, query=query, filters=to_filters(filter), order_by=order_by, first=first, after=after
        )
