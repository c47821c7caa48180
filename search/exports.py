"""The search results export: every hit of a `search(query:, filter:)`, page after page (search_after), each
with its record's title read from MongoDB within the viewer's scope (a hit whose record the viewer may no
longer see is dropped, as the API drops it). Memory holds one page of hits at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from elasticsearch import AsyncElasticsearch

from hub.access.principal import Principal
from hub.access.scope import scope_to_mongo
from hub.access.visibility import SEARCH_TITLE_FIELDS, allows
from hub.cases.models import Case
from hub.core.ids import global_id, object_ids
from hub.documents.access import NOT_IN_TRASH
from hub.documents.models import StoredDocument
from hub.exports.columns import Column, Export, export_of, select
from hub.exports.formats import Row
from hub.reports.models import Report
from hub.searches.filters import SearchFilters
from search.filters import SearchOrder
from search.service import SearchHit, SearchRequest, search

PAGE = 100
COLUMNS = [
    Column("kind", None),
    Column("id", None),
    Column("region_code", None),
    Column("title", None),  # per hit: only when the viewer reads its kind's title field (SEARCH_TITLE_FIELDS)
    Column("score", None),
]
_MODELS: dict[str, tuple[str, Any, str]] = {
    "report": ("Report", Report, "title"),
    "incident": ("Report", Report, "title"),
    "case": ("Case", Case, "title"),
    "document": ("Document", StoredDocument, "file_name"),
}


async def _records(viewer: Principal, hits: list[SearchHit]) -> dict[str, tuple[str, str]]:
    """(region code, title) of each hit's record the viewer may see, by id: one query per kind."""
    found: dict[str, tuple[str, str]] = {}
    for type_name, model, title in {(name, model, title) for name, model, title in _MODELS.values()}:
        ids = [hit.id for hit in hits if _MODELS[hit.kind][0] == type_name]
        if not ids:
            continue
        report_type = "type" if model is Report else None
        criteria = [
            {"_id": {"$in": object_ids(ids)}},
            scope_to_mongo(viewer.scope, report_type_field=report_type),
        ]
        if model is StoredDocument:
            criteria.append(NOT_IN_TRASH)
        query = {"$and": [part for part in criteria if part]}
        async for raw in model.get_pymongo_collection().find(query, {"region_code": 1, title: 1}):
            found[str(raw["_id"])] = (raw["region_code"], raw.get(title, ""))
    return found


async def _hits(
    viewer: Principal, es: AsyncElasticsearch, prefix: str, request: SearchRequest, columns: list[Column]
) -> AsyncIterator[Row]:
    after = None
    while True:
        page = await search(
            es, prefix, SearchRequest(**{**request.__dict__, "after": after}), scope=viewer.scope
        )
        records = await _records(viewer, page.items)
        for hit in page.items:
            record = records.get(hit.id)
            if record is None:
                continue
            type_name = _MODELS[hit.kind][0]
            title = record[1] if allows(viewer.scope, SEARCH_TITLE_FIELDS[hit.kind]) else ""
            cells = {
                "kind": hit.kind.upper(),
                "id": global_id(type_name, hit.id),
                "region_code": record[0],
                "title": title,
                "score": hit.score,
            }
            yield select(columns, cells)
        if not page.has_next_page or not page.items:
            return
        after = page.items[-1].cursor


def search_export(
    viewer: Principal,
    es: AsyncElasticsearch,
    prefix: str,
    *,
    text: str,
    filters: SearchFilters,
    order: SearchOrder = SearchOrder.RELEVANCE,
) -> Export:
    request = SearchRequest(text=text, filters=filters, order=order, first=PAGE)
    return export_of("search", COLUMNS, viewer.scope, lambda shown: _hits(viewer, es, prefix, request, shown))
