"""Runs searches and returns hits as ids with scores and snippets; callers load the records from MongoDB."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import AsyncElasticsearch

from hub.access.scope import Scope, scope_to_es
from search.highlight import mark_stems, query_stems
from search.indices import DOCUMENTS
from search.query import documents_search_body


@dataclass(frozen=True)
class SearchHit:
    id: str
    kind: str
    score: float
    highlights: list[str]
    title_highlight: str | None


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total_count: int


async def search_documents(
    es: AsyncElasticsearch, prefix: str, query: str, *, scope: Scope, first: int, offset: int = 0
) -> SearchPage:
    """Searches only inside the scope: its filter is part of every query, never optional."""
    if scope.is_empty:
        return SearchPage(hits=[], total_count=0)
    body = documents_search_body(query, size=first, offset=offset, filters=scope_to_es(scope))
    response = await es.search(index=DOCUMENTS.alias(prefix), **body)
    stems = query_stems(query)
    hits = []
    for raw in response["hits"]["hits"]:
        highlight = raw.get("highlight", {})
        titles = highlight.get("title") or [None]
        hits.append(
            SearchHit(
                id=raw["_id"],
                kind="document",
                score=float(raw.get("_score") or 0.0),
                highlights=[mark_stems(snippet, stems) for snippet in highlight.get("text", [])],
                title_highlight=titles[0],
            )
        )
    return SearchPage(hits=hits, total_count=int(response["hits"]["total"]["value"]))
