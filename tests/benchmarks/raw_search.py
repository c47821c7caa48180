"""P2's baseline: the hub's Elasticsearch query for a search (search.service.search_body: the same scope
filter, highlighting and facets), sent directly, and its hits hydrated by hand as tests.benchmarks.search_p95
asks for them: records read in parallel with projections (no text) and, at the same time, the regions the
hits were indexed with (one query; a record in another region has it read after), orjson.
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from hub.access.authenticate import authenticate
from hub.access.scope import scope_to_mongo
from hub.clients import Clients
from search.highlight import mark_stems, query_stems
from search.service import FACETS, SearchRequest, search_body, search_indices

FIRST = 20


def _global_id(type_name: str, value: Any) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


async def raw_search(request: Request) -> Response:
    clients: Clients = request.app.state.clients
    principal = (await authenticate(clients.settings, request.headers.get("authorization"))).principal
    if not principal.is_authenticated:
        return Response(b'{"error":"unauthenticated"}', status_code=401, media_type="application/json")
    text = orjson.loads(await request.body())["query"]
    wanted = SearchRequest(text=text, first=FIRST, facets=True)
    body = search_body(wanted, principal.scope)
    found = await clients.es.search(
        index=search_indices(clients.settings.es_index_prefix, wanted.filters), **body
    )
    raw_hits = found["hits"]["hits"]
    hits = raw_hits[:FIRST]
    database = clients.mongo[clients.settings.mongo_database]
    ids = {
        kind: [hit["_id"] for hit in hits if hit["_source"]["kind"] == kind]
        for kind in ("report", "document")
    }
    scoped = scope_to_mongo(principal.scope)
    from bson import ObjectId

    def criteria(kind: str, extra: dict[str, Any]) -> dict[str, Any]:
        return {"$and": [{"_id": {"$in": [ObjectId(value) for value in ids[kind]]}}, scoped, extra]}

    async def region_names(codes: list[str]) -> dict[str, str]:
        found = await database.regions.find({"_id": {"$in": codes}}, {"name": 1}).to_list()
        return {row["_id"]: row["name"] for row in found}

    reports, documents, regions = await asyncio.gather(
        database.reports.find(
            criteria("report", {}), {"title": 1, "status": 1, "period": 1, "region_code": 1}
        ).to_list(),
        database.documents.find(
            criteria("document", {"deleted_at": None}), {"file_name": 1, "category": 1, "region_code": 1}
        ).to_list(),
        region_names(sorted({hit["_source"]["region_code"] for hit in hits})),
    )
    records = {str(row["_id"]): row for row in [*reports, *documents]}
    missing = sorted({row["region_code"] for row in records.values()} - regions.keys())
    if missing:
        regions |= await region_names(missing)
    stems = query_stems(text)
    edges = []
    for hit in hits:
        record = records.get(hit["_id"])
        if record is None:
            continue
        kind = hit["_source"]["kind"]
        region = {"code": record["region_code"], "name": regions[record["region_code"]]}
        if kind == "report":
            period = record.get("period")
            node: dict[str, Any] = {
                "__typename": "Report",
                "id": _global_id("Report", record["_id"]),
                "title": record["title"],
                "status": record["status"].upper(),
                "period": {"key": f"{period['year']}-Q{period['quarter']}"} if period else None,
                "region": region,
            }
        else:
            node = {
                "__typename": "Document",
                "id": _global_id("Document", record["_id"]),
                "fileName": record["file_name"],
                "category": record["category"].upper(),
                "region": region,
            }
        highlight = hit.get("highlight", {})
        titles = highlight.get("title") or [None]
        edges.append(
            {
                "node": {
                    "score": float(hit["_score"] or 0.0),
                    "kind": kind.upper(),
                    "highlights": [mark_stems(snippet, stems) for snippet in highlight.get("text", [])],
                    "titleHighlight": mark_stems(titles[0], stems) if titles[0] else None,
                    "node": node,
                }
            }
        )
    aggregations = found.get("aggregations", {})
    facets = {
        name: [
            {"key": str(bucket["key"]), "count": int(bucket["doc_count"])}
            for bucket in aggregations.get(name, {}).get("buckets", [])
        ]
        for name in FACETS
    }
    result = {
        "totalCount": int(found["hits"]["total"]["value"]),
        "pageInfo": {"hasNextPage": len(raw_hits) > FIRST},
        "facets": facets,
        "edges": edges,
    }
    return Response(orjson.dumps({"data": {"search": result}}), media_type="application/json")
