"""Benchmark: `reports(first: 100)` through GraphQL against a hand-written endpoint that reads the same data
straight with pymongo and returns identical JSON, both in this process, on the same database, in one run.

Run with the local services up:  uv run python -m tests.benchmarks.reports_list [--rounds 60]
It creates its own database, seeds it, prints medians and the ratio, and drops the database again.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.access.authenticate import authenticate
from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.app import create_app
from hub.clients import Clients, open_clients
from hub.regions.seed import seed_regions
from hub.reports.templates import seed_templates
from hub.settings import load_settings
from tests.graphql import global_id
from tests.test_query_count import _seed_reports

QUERY = """{ reports(first: 100, filter: {region: "31", periodFrom: "2090-Q1"}) { totalCount nodes {
  id title status period { key } region { name parent { code } } author { username } reviewer { username }
  caseCount } } }"""
PASSWORD = "bench-password-2026"


def raw_endpoint(clients: Clients) -> Route:
    """What a careful hand-written endpoint does: authenticate, then batch every lookup by hand."""
    database = clients.mongo[clients.settings.mongo_database]

    async def handler(request: Request) -> Response:
        principal = (await authenticate(clients.settings, request.headers.get("authorization"))).principal
        if not principal.is_authenticated:
            return JSONResponse({"error": "unauthenticated"}, status_code=401)
        criteria: dict[str, Any] = {"$and": [{"region_path": "31"}, {"period_key": {"$gte": "2090-Q1"}}]}
        if principal.scope.region_roots is not None:
            criteria["$and"].append({"region_path": {"$in": sorted(principal.scope.region_roots)}})
        total = await database.reports.count_documents(criteria)
        reports = (
            await database.reports.find(
                criteria,
                {"title": 1, "status": 1, "period": 1, "region_code": 1, "author": 1, "last_reviewer": 1},
            )
            .sort([("created_at", -1), ("_id", -1)])
            .limit(100)
            .to_list()
        )
        region_codes = {report["region_code"] for report in reports}
        regions = {
            r["_id"]: r for r in await database.regions.find({"_id": {"$in": sorted(region_codes)}}).to_list()
        }
        parents = {r.get("parent_code") for r in regions.values()} - {None}
        parent_codes = {
            p["_id"] for p in await database.regions.find({"_id": {"$in": sorted(parents)}}).to_list()
        }
        names = {
            report[key].removeprefix("user:")
            for report in reports
            for key in ("author", "last_reviewer")
            if report.get(key)
        }
        users = {
            u["username"] for u in await database.users.find({"username": {"$in": sorted(names)}}).to_list()
        }
        counts: dict[Any, int] = {}
        async for case in database.cases.find(
            {"source_report_id": {"$in": [r["_id"] for r in reports]}}, {"source_report_id": 1}
        ):
            counts[case["source_report_id"]] = counts.get(case["source_report_id"], 0) + 1

        def person(actor: str | None) -> dict[str, str] | None:
            name = actor.removeprefix("user:") if actor else None
            return {"username": name} if name in users else None

        nodes = []
        for report in reports:
            region = regions[report["region_code"]]
            parent = region.get("parent_code")
            nodes.append(
                {
                    "id": global_id("Report", report["_id"]),
                    "title": report["title"],
                    "status": report["status"].upper(),
                    "period": {"key": f"{report['period']['year']}-Q{report['period']['quarter']}"},
                    "region": {
                        "name": region["name"],
                        "parent": {"code": parent} if parent in parent_codes else None,
                    },
                    "author": person(report.get("author")),
                    "reviewer": person(report.get("last_reviewer")),
                    "caseCount": counts.get(report["_id"], 0),
                }
            )
        return JSONResponse({"data": {"reports": {"totalCount": total, "nodes": nodes}}})

    return Route("/raw/reports", handler)


async def _timed(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    response = await client.request(method, url, **kwargs)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, response.json()


async def main(rounds: int) -> None:
    base = load_settings()
    run = uuid.uuid4().hex[:8]
    settings = base.model_copy(
        update={
            "mongo_database": f"pantau_bench_{run}",
            "es_index_prefix": f"bench-{run}",
            "minio_bucket": f"pantau-bench-{run}",
            "cost_budget_per_window": 0,
        }
    )
    clients = await open_clients(settings)
    try:
        await clients.store.ensure_bucket()
        await seed_regions()
        await seed_templates()
        for username, role, region in (
            ("operator-31.74", Role.OPERATOR, "31.74"),
            ("coordinator-31", Role.COORDINATOR, "31"),
            ("reviewer", Role.REVIEWER, "ID"),
        ):
            await create_user(username=username, password=PASSWORD, role=role, region_code=region)
        await _seed_reports(120)
        token = (await login(settings, "reviewer", PASSWORD)).access_token
        app: Starlette = create_app(settings, shared_clients=clients)
        app.router.routes.append(raw_endpoint(clients))
        headers = {"Authorization": f"Bearer {token}"}
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", headers=headers
            ) as client:
                _, graph = await _timed(client, "POST", "/graphql", json={"query": QUERY})
                _, raw = await _timed(client, "GET", "/raw/reports")
                assert graph == raw, "the two endpoints must return identical JSON"
                graphql_times, raw_times = [], []
                for _ in range(rounds):  # interleaved, so load on the machine hits both alike
                    graphql_times.append((await _timed(client, "POST", "/graphql", json={"query": QUERY}))[0])
                    raw_times.append((await _timed(client, "GET", "/raw/reports"))[0])
        graphql_ms = statistics.median(graphql_times) * 1000
        raw_ms = statistics.median(raw_times) * 1000
        nodes = len(graph["data"]["reports"]["nodes"])
        print(f"reports(first: 100), {rounds} rounds, identical JSON ({nodes} nodes)")
        print(f"  GraphQL median  {graphql_ms:8.2f} ms")
        print(f"  pymongo median  {raw_ms:8.2f} ms")
        print(f"  ratio           {graphql_ms / raw_ms:8.2f}x  (target <= 2.0x)")
    finally:
        await clients.mongo.drop_database(settings.mongo_database)
        await asyncio.to_thread(clients.store.client.remove_bucket, settings.minio_bucket)
        await clients.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60, help="timed requests per endpoint")
    asyncio.run(main(parser.parse_args().rounds))
