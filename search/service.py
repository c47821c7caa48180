"""Runs searches over every kind of record and returns hits as ids with scores, snippets and cursors;
callers load the records from MongoDB through their scoped loaders. The scope filter is part of every query,
never optional."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from elasticsearch import AsyncElasticsearch

from hub.access.scope import Scope, scope_to_es
from hub.core.paging import Page
from hub.searches.filters import SearchFilters
from search.filters import (
    SearchOrder,
    decode_search_cursor,
    encode_search_cursor,
    filter_clauses,
    sort_clause,
)
from search.highlight import mark_stems, query_stems
from search.indices import CASES, DOCUMENTS, REPORTS, IndexDefinition, search_target
from search.query import highlight, text_query
from search.syntax import parse_query

REPORT_TYPE_FIELD = "report_type"
_INDEX_OF_KIND: dict[str, IndexDefinition] = {
    "report": REPORTS,
    "incident": REPORTS,
    "case": CASES,
    "document": DOCUMENTS,
}
FACETS: dict[str, dict[str, Any]] = {
    "province": {"terms": {"field": "province", "size": 40}},
    "kind": {"terms": {"field": "kind", "size": 10}},
    "category": {"terms": {"field": "category", "size": 40}},
    "period": {"terms": {"field": "period_key", "size": 40, "order": {"_key": "desc"}}},
}


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    order: SearchOrder = SearchOrder.RELEVANCE
    first: int = 10
    after: str | None = None
    facets: bool = False


@dataclass(frozen=True)
class SearchHit:
    id: str
    kind: str
    score: float | None
    highlights: list[str]
    title_highlight: str | None
    order: SearchOrder
    sort: tuple[Any, ...]  # its sort values in that order

    @property
    def cursor(self) -> str:
        """Where the next page starts after this hit; sealed, so made only when asked for."""
        return encode_search_cursor(self.order, list(self.sort))


@dataclass(frozen=True)
class FacetBucket:
    key: str
    count: int


@dataclass(frozen=True)
class SearchPage(Page[SearchHit]):
    """A page of hits (`items`), with facet counts over every hit when they were asked for."""

    facets: dict[str, list[FacetBucket]] | None = None


def search_indices(prefix: str, filters: SearchFilters) -> str:
    """Only the indices that can hold the kinds asked for."""
    if not filters.kinds:
        return search_target(prefix)
    wanted = {_INDEX_OF_KIND[kind].name for kind in filters.kinds if kind in _INDEX_OF_KIND}
    ordered = tuple(definition for definition in (REPORTS, CASES, DOCUMENTS) if definition.name in wanted)
    return search_target(prefix, ordered or (REPORTS, CASES, DOCUMENTS))


def search_body(request: SearchRequest, scope: Scope) -> dict[str, Any]:
    parsed = parse_query(request.text)
    sort = sort_clause(request.order, has_text=not parsed.is_empty)
    filters = [*scope_to_es(scope, report_type_field=REPORT_TYPE_FIELD), *filter_clauses(request.filters)]
    query: dict[str, Any] = {"bool": {"must": [text_query(parsed)], "filter": filters}}
    if request.filters.exclude_ids:
        query["bool"]["must_not"] = [{"ids": {"values": list(request.filters.exclude_ids)}}]
    body: dict[str, Any] = {
        "size": request.first + 1,  # one more tells whether another page follows
        "track_total_hits": True,
        "_source": ["kind"],
        "query": query,
        "sort": sort,
        "highlight": highlight(parsed),
        "track_scores": True,
    }
    if request.after:
        body["search_after"] = decode_search_cursor(request.order, request.after, len(sort))
    if request.facets:
        body["aggs"] = FACETS
    return body


async def search(
    es: AsyncElasticsearch,
    prefix: str,
    request: SearchRequest,
    *,
    scope: Scope,
    index: str | None = None,
) -> SearchPage:
    if scope.is_empty:
        return SearchPage(items=[], total_count=0, has_next_page=False, facets=_no_facets(request))
    body = search_body(request, scope)
    response = await es.search(index=index or search_indices(prefix, request.filters), **body)
    stems = query_stems(request.text)
    raw_hits = response["hits"]["hits"]
    hits = [_hit(raw, request.order, stems) for raw in raw_hits[: request.first]]
    facets = None
    if request.facets:
        aggregations = response.get("aggregations", {})
        facets = {
            name: [
                FacetBucket(key=str(bucket["key"]), count=int(bucket["doc_count"]))
                for bucket in aggregations.get(name, {}).get("buckets", [])
            ]
            for name in FACETS
        }
    return SearchPage(
        items=hits,
        total_count=int(response["hits"]["total"]["value"]),
        has_next_page=len(raw_hits) > request.first,
        facets=facets,
    )


def _no_facets(request: SearchRequest) -> dict[str, list[FacetBucket]] | None:
    return {name: [] for name in FACETS} if request.facets else None


def _hit(raw: dict[str, Any], order: SearchOrder, stems: frozenset[str]) -> SearchHit:
    highlight_ = raw.get("highlight", {})
    titles = highlight_.get("title") or [None]
    score = raw.get("_score")
    return SearchHit(
        id=raw["_id"],
        kind=str(raw.get("_source", {}).get("kind", "document")),
        score=float(score) if score is not None else None,
        highlights=[mark_stems(snippet, stems) for snippet in highlight_.get("text", [])],
        title_highlight=mark_stems(titles[0], stems) if titles[0] else None,
        order=order,
        sort=tuple(raw["sort"]),
    )
