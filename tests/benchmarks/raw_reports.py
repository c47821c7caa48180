"""P1's baseline: `reports(first: N)` as a careful engineer writes it by hand, returning the JSON the GraphQL
query of tests.benchmarks.reports_list returns. Independent reads run together (asyncio.gather), every
related kind is read once per page in one query with a projection of the fields it needs, and the body is
encoded with orjson.
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

REPORT_FIELDS = {"title": 1, "status": 1, "period": 1, "region_code": 1, "region_path": 1, "author": 1}
REPORT_FIELDS |= {"last_reviewer": 1, "created_at": 1}


def _global_id(type_name: str, value: Any) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def _username(actor: str | None) -> str | None:
    return actor.removeprefix("user:") if actor and actor.startswith("user:") else None


async def raw_reports(request: Request) -> Response:
    clients: Clients = request.app.state.clients
    principal = (await authenticate(clients.settings, request.headers.get("authorization"))).principal
    if not principal.is_authenticated:
        return Response(b'{"error":"unauthenticated"}', status_code=401, media_type="application/json")
    first = min(int(request.query_params.get("first", "100")), 100)
    database = clients.mongo[clients.settings.mongo_database]
    parts: list[dict[str, Any]] = [{"region_path": "31"}, {"period_key": {"$gte": "2090-Q1"}}]
    scoped = scope_to_mongo(principal.scope, report_type_field="type")
    if scoped:
        parts.append(scoped)
    criteria = {"$and": parts}
    total, reports = await asyncio.gather(
        database.reports.count_documents(criteria),
        database.reports.find(criteria, REPORT_FIELDS)
        .sort([("created_at", -1), ("_id", -1)])
        .limit(first + 1)
        .to_list(),
    )
    reports = reports[:first]
    # A report's path names its region and the parent: both are read in the same query.
    codes = sorted({code for report in reports for code in report["region_path"][-2:]})
    names = sorted(
        {
            name
            for report in reports
            for key in ("author", "last_reviewer")
            if (name := _username(report.get(key)))
        }
    )
    region_rows, user_rows, count_rows = await asyncio.gather(
        database.regions.find({"_id": {"$in": codes}}, {"name": 1, "parent_code": 1}).to_list(),
        database.users.find({"username": {"$in": names}}, {"username": 1}).to_list(),
        _case_counts(database, [report["_id"] for report in reports]),
    )
    regions = {row["_id"]: row for row in region_rows}
    users = {row["username"] for row in user_rows}
    counts = {row["_id"]: row["count"] for row in count_rows}

    def person(actor: str | None) -> dict[str, str] | None:
        name = _username(actor)
        return {"username": name} if name in users else None

    nodes = []
    for report in reports:
        region = regions[report["region_code"]]
        parent = region.get("parent_code")
        period = report.get("period")
        nodes.append(
            {
                "id": _global_id("Report", report["_id"]),
                "title": report["title"],
                "status": report["status"].upper(),
                "period": {"key": f"{period['year']}-Q{period['quarter']}"} if period else None,
                "region": {"name": region["name"], "parent": {"code": parent} if parent in regions else None},
                "author": person(report.get("author")),
                "reviewer": person(report.get("last_reviewer")),
                "caseCount": counts.get(report["_id"], 0),
            }
        )
    body = {"data": {"reports": {"totalCount": total, "nodes": nodes}}}
    return Response(orjson.dumps(body), media_type="application/json")


async def _case_counts(database: Any, report_ids: list[Any]) -> list[dict[str, Any]]:
    cursor = await database.cases.aggregate(
        [
            {"$match": {"source_report_id": {"$in": report_ids}}},
            {"$group": {"_id": "$source_report_id", "count": {"$sum": 1}}},
        ]
    )
    return list(await cursor.to_list())
