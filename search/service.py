"""Runs searches over every kind of record and returns hits as ids with scores, snippets and cursors;
callers load the records from MongoDB through their scoped loaders. The scope filter is part of every query,
never optional."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from elasticsearch import AsyncElasticsearch

from hub.access.scope import Scope, scope_to_es
from hub.access.visibility import INCIDENT_REPORT_TYPE, SEARCH_TEXT_FIELDS, allows, searchable_fields
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
from search.query import COMBINED, MAX_FRAGMENTS, Pair, TextFields, highlight, text_query
from search.sources import BY_FIELD, by_field_path
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
    quoted: tuple[str, ...] = ()  # the record fields (`Type.field`) the highlights quote
    region_code: str | None = None  # as indexed: its region can be read with the record, not after it

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


def text_fields(scope: Scope) -> TextFields:
    """What a viewer's search reads: everything for staff; for a partner grant, the text and title of each
    record field it reads, apart (hub.access.visibility.searchable_fields)."""
    granted = searchable_fields(scope)
    if granted is None:
        return COMBINED
    texts, titles = granted

    def pairs(names: list[str]) -> tuple[Pair, ...]:
        return tuple(Pair(by_field_path(name), by_field_path(name, stemmed=True)) for name in names)

    return TextFields(texts=pairs(texts), titles=pairs(titles))


def _sort(order: SearchOrder, has_text: bool, scope: Scope) -> list[dict[str, Any]]:
    """The order, on the record's date: an incident's is when it occurred, which a grant that may see
    incidents but not their details must not learn from the order; it gets creation order instead."""
    sort = sort_clause(order, has_text=has_text)
    if not scope.allows_report_type(INCIDENT_REPORT_TYPE) or allows(scope, "Report.incident"):
        return sort
    return [{"created_at" if key == "date" else key: value for key, value in part.items()} for part in sort]


def search_body(request: SearchRequest, scope: Scope) -> dict[str, Any]:
    parsed = parse_query(request.text)
    fields = text_fields(scope)
    sort = _sort(request.order, not parsed.is_empty, scope)
    filters = [*scope_to_es(scope, report_type_field=REPORT_TYPE_FIELD), *filter_clauses(request.filters)]
    query: dict[str, Any] = {"bool": {"must": [text_query(parsed, fields)], "filter": filters}}
    if request.filters.exclude_ids:
        query["bool"]["must_not"] = [{"ids": {"values": list(request.filters.exclude_ids)}}]
    body: dict[str, Any] = {
        "size": request.first + 1,  # one more tells whether another page follows
        "track_total_hits": True,
        "_source": ["kind", "region_code"],
        "query": query,
        "sort": sort,
        "highlight": highlight(parsed, fields),
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
    fields = text_fields(scope)
    hits = [_hit(raw, request.order, stems, fields) for raw in raw_hits[: request.first]]
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


def _hit(raw: dict[str, Any], order: SearchOrder, stems: frozenset[str], fields: TextFields) -> SearchHit:
    found = raw.get("highlight", {})
    source = raw.get("_source", {})
    kind = str(source.get("kind", "document"))
    snippets: list[str] = []
    quoted: list[str] = []
    for pair in fields.texts:
        fragments = found.get(pair.words, [])
        if fragments and len(snippets) < MAX_FRAGMENTS:
            snippets += fragments[: MAX_FRAGMENTS - len(snippets)]
            quoted.append(pair.words.removeprefix(f"{BY_FIELD}."))
    if fields is COMBINED and snippets:  # the combined text quotes any of the record's text fields
        quoted = list(SEARCH_TEXT_FIELDS.get(kind, ()))
    titles = [fragment for pair in fields.titles for fragment in found.get(pair.words, [])[:1]]
    score = raw.get("_score")
    return SearchHit(
        id=raw["_id"],
        kind=kind,
        score=float(score) if score is not None else None,
        highlights=[mark_stems(snippet, stems) for snippet in snippets],
        title_highlight=mark_stems(titles[0], stems) if titles else None,
        order=order,
        sort=tuple(raw["sort"]),
        quoted=tuple(quoted),
        region_code=source.get("region_code"),
    )
