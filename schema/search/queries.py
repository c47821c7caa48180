from __future__ import annotations

import strawberry
from strawberry import relay

from schema.context import Info
from schema.documents.types import Document
from schema.pagination import PaginationError, decode_cursor, encode_cursor, page_size
from schema.permissions import IsAuthenticated
from schema.search.types import SearchHit, SearchHitConnection, SearchHitEdge
from search.service import search_documents

CURSOR_KIND = "search"
MAX_OFFSET = 10_000


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description='Full-text search in Indonesian over documents. Syntax: words, "phrases", `|` for OR, '
        "`-` to exclude. Only what the viewer may see is searched.",
        permission_classes=[IsAuthenticated],
    )
    async def search(
        self, info: Info, query: str, first: int | None = 10, after: str | None = None
    ) -> SearchHitConnection:
        size = page_size(first, default=10)
        offset = _offset_after(after)
        if offset + size > MAX_OFFSET:
            raise PaginationError(f"search pages reach at most {MAX_OFFSET} results deep")
        clients = info.context.clients
        page = await search_documents(
            clients.es,
            clients.settings.es_index_prefix,
            query,
            scope=info.context.principal.scope,
            first=size,
            offset=offset,
        )
        documents = await info.context.loaders.document.load_many([hit.id for hit in page.hits])
        edges = [
            SearchHitEdge(
                cursor=encode_cursor(CURSOR_KIND, str(offset + position)),
                node=SearchHit(
                    score=hit.score,
                    highlights=hit.highlights,
                    title_highlight=hit.title_highlight,
                    document=Document.from_model(document) if document else None,
                ),
            )
            for position, (hit, document) in enumerate(zip(page.hits, documents, strict=True))
        ]
        return SearchHitConnection(
            edges=edges,
            total_count=page.total_count,
            page_info=relay.PageInfo(
                has_next_page=offset + len(edges) < page.total_count,
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )


def _offset_after(after: str | None) -> int:
    if not after:
        return 0
    value = decode_cursor(CURSOR_KIND, after)
    if not value.isdigit():
        raise PaginationError(f"the cursor {after!r} is not valid here")
    return int(value) + 1
