from __future__ import annotations

from typing import Annotated

import strawberry

from hub.core.paging import page_size
from hub.searches.filters import SearchFilters
from schema.connection import After, connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.prefetch import requested
from schema.regions.code import known_region
from schema.search.facets import SearchFacets
from schema.search.filters import to_filters
from schema.search.results import hydrate
from schema.search.types import SearchFilter, SearchHitConnection, SearchOrder
from search.service import FacetBucket, SearchHit, SearchRequest
from search.service import search as run_search


def _facets(found: dict[str, list[FacetBucket]] | None) -> SearchFacets | None:
    return SearchFacets(found=found) if found is not None else None


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
    page = await run_search(
        clients.es, clients.settings.es_index_prefix, request, scope=info.context.principal.scope
    )
    # A hit whose record is dropped (its scope changed meanwhile) has no edge, but the next page starts
    # after it: the end cursor is the last hit's.
    return connection(
        SearchHitConnection,
        page,
        await hydrate(info, page.items),
        cursor=_hit_cursor,
        after=after,
        facets=_facets(page.facets),
    )


def _hit_cursor(hit: SearchHit) -> str:
    return hit.cursor


@strawberry.type
class SearchQueries:
    @field(
        description="Full-text search in Indonesian over reports, incidents, cases and documents (the text "
        "of uploaded files too, scans included). Syntax: "
        'words, "phrases", `|` or OR for either, `-` or NOT to exclude; small typos are forgiven; words are '
        "matched by their stem (memilih, pemilihan → pilih). Only what the viewer may see is searched. "
        "Pages forwards only.",
        permission_classes=[IsAuthenticated],
    )
    async def search(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="What to look for; empty: everything.")] = "",
        filter: Annotated[
            SearchFilter | None, strawberry.argument(description="What to search in; everything by default.")
        ] = None,
        order_by: Annotated[SearchOrder, strawberry.argument(description="The order of the hits.")] = (
            SearchOrder.RELEVANCE
        ),
        first: Annotated[
            int | None, strawberry.argument(description="How many hits, 0 to 100 (null: 10).")
        ] = 10,
        after: After = None,
    ) -> SearchHitConnection:
        filters = to_filters(filter)
        if filter is not None:
            await known_region(info, filter.region, "filter.region")
        return await search_connection(
            info, query=query, filters=filters, order_by=order_by, first=first, after=after
        )
