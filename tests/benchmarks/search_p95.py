"""P2: search as a client sees it, at 300,000 records: `search(query:, first: 20)` through GraphQL over HTTP
with a bearer token, facets always on, each hit hydrated with its record (title, status, period, region, or
a document's name and category), against the same Elasticsearch query sent directly with the same hydration
written by hand (tests.benchmarks.raw_search), both served by one hub server process (production settings,
rate limiter on). Six queries (words, a phrase, OR, NOT, a typo) for a national, a provincial and a regency
viewer, ABBA order; both sides must return the same JSON.

Run with the shared services:  uv run python -m tests.benchmarks.search_p95 [--rounds 12] [--fresh]
The 300k corpus is kept between runs (tests.benchmarks.corpus); MongoDB holds the records the queries can
return (realistic: a report's narratives and history, a document's extracted text), in a database of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from pathlib import Path
from typing import Any

import httpx
import orjson
from bson import ObjectId

from hub.access.roles import Role
from hub.access.scope import Scope
from hub.access.sessions import login
from hub.access.users import create_user
from hub.clients import open_clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory, DocumentState, StoredDocument
from hub.regions.seed import seed_regions
from hub.reports.models import Period, Report, ReportStatus, ReportType
from search.service import SearchRequest, search_body, search_indices
from tests.benchmarks.corpus import QUERIES, ensure_corpus, text_of
from tests.benchmarks.harness import (
    abba,
    bench_settings,
    load_average,
    p95,
    record,
    run_id,
    server_process,
    timed_post,
)

FIRST = 20
QUERY = """query($q: String!) { search(query: $q, first: 20) { totalCount pageInfo { hasNextPage }
  facets { province { key count } kind { key count } category { key count } period { key count } }
  edges { node { score kind highlights titleHighlight node { __typename
    ... on Report { id title status period { key } region { code name } }
    ... on Document { id fileName category region { code name } } } } } } }"""
PASSWORD = "bench-password-2026"
VIEWERS = {
    "national": ("reviewer", Role.REVIEWER, "ID", Scope.everything()),
    "province": ("coordinator-31", Role.COORDINATOR, "31", Scope.subtrees(["31"])),
    "regency": ("operator-31.74", Role.OPERATOR, "31.74", Scope.subtrees(["31.74"])),
}


async def _hits(es: Any, prefix: str) -> dict[str, dict[str, Any]]:
    """Every record the benchmark's searches can return, with its indexed fields."""
    found: dict[str, dict[str, Any]] = {}
    for _, _, _, scope in VIEWERS.values():
        for text in QUERIES:
            request = SearchRequest(text=text, first=FIRST, facets=False)
            body = search_body(request, scope) | {"_source": True}
            response = await es.search(index=search_indices(prefix, request.filters), **body)
            for hit in response["hits"]["hits"]:
                found[hit["_id"]] = hit["_source"]
    return found


async def seed_records(hits: dict[str, dict[str, Any]]) -> tuple[int, int]:
    """The records of the hits in MongoDB, as large as real ones."""
    rng = random.Random(9)
    now = utcnow()
    reports, documents = [], []
    for record_id, source in hits.items():
        if source["kind"] == "report":
            year, quarter = source["period_key"].split("-Q")
            reports.append(
                Report(
                    id=ObjectId(record_id),
                    region_code=source["region_code"],
                    region_path=source["region_path"],
                    type=ReportType.QUARTERLY,
                    template_version=1,
                    period=Period(year=int(year), quarter=int(quarter)),
                    period_key=f"bench-{record_id}",  # one per region and period is enforced; these are many
                    title=source["title"],
                    narratives={f"section_{n}": text_of(rng, 600) for n in range(6)},
                    status=ReportStatus.SUBMITTED,
                    author="user:operator-31.74",
                    due_at=now,
                )
            )
        else:
            documents.append(
                StoredDocument(
                    id=ObjectId(record_id),
                    region_code=source["region_code"],
                    region_path=source["region_path"],
                    category=DocumentCategory(source.get("category", "decree")),
                    file_name=f"{source['title'][:40].strip(' .')}.pdf",
                    object_key=f"bench/{record_id}",
                    content_type="application/pdf",
                    size=150_000,
                    sha256=record_id.rjust(64, "0"),
                    state=DocumentState.INDEXED,
                    text=text_of(rng, 6000),
                )
            )
    if reports:
        await Report.insert_many(reports)
    if documents:
        await StoredDocument.insert_many(documents)
    return len(reports), len(documents)


async def measure(base_url: str, tokens: dict[str, str], rounds: int) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        cases = [(label, text) for label in VIEWERS for text in QUERIES]
        hydrated = 0
        for label, text in cases:
            headers = {"Authorization": f"Bearer {tokens[label]}"}
            graph = orjson.loads(
                (
                    await timed_post(
                        client, "/graphql", headers=headers, json={"query": QUERY, "variables": {"q": text}}
                    )
                )[1]
            )
            raw = orjson.loads(
                (await timed_post(client, "/raw/search", headers=headers, json={"query": text}))[1]
            )
            assert graph == raw, f"different answers for {text!r} as the {label} viewer"
            hydrated += len(graph["data"]["search"]["edges"])
        print(f"  identical JSON for all {len(cases)} searches, {hydrated} hits hydrated in all")
        assert hydrated > 0
        turn = {"hub": 0, "raw": 0}

        async def hub() -> float:
            label, text = cases[turn["hub"] % len(cases)]
            turn["hub"] += 1
            headers = {"Authorization": f"Bearer {tokens[label]}"}
            payload = {"query": QUERY, "variables": {"q": text}}
            return (await timed_post(client, "/graphql", headers=headers, json=payload))[0]

        async def hand() -> float:
            label, text = cases[turn["raw"] % len(cases)]
            turn["raw"] += 1
            headers = {"Authorization": f"Bearer {tokens[label]}"}
            return (await timed_post(client, "/raw/search", headers=headers, json={"query": text}))[0]

        comparison = await abba(
            f"search, {len(QUERIES)} queries x {len(VIEWERS)} viewers, first 20, facets",
            hub,
            hand,
            rounds * len(cases),
        )
    print(comparison.lines(hub="GraphQL over HTTP", raw="same ES query + hydration"))
    record(
        p2_p95_ms=round(p95(comparison.hub) * 1000, 1),
        p2_ratio=round(comparison.ratio, 3),
        p2_p95_ratio=round(comparison.p95_ratio, 3),
    )


async def main(rounds: int, fresh: bool) -> None:
    run = run_id()
    settings = bench_settings(run)
    clients = await open_clients(settings)
    try:
        prefix = await ensure_corpus(clients.es, fresh=fresh)
        settings = settings.model_copy(update={"es_index_prefix": prefix})
        await seed_regions()
        tokens = {}
        for label, (username, role, region, _) in VIEWERS.items():
            await create_user(username=username, password=PASSWORD, role=role, region_code=region)
            tokens[label] = (await login(settings, username, PASSWORD)).access_token
        reports, documents = await seed_records(await _hits(clients.es, prefix))
        print(f"P2: {reports} reports and {documents} documents in MongoDB (load average {load_average()})")
        with (
            tempfile.TemporaryDirectory(prefix="pantau-bench-") as scratch,
            server_process(settings, Path(scratch) / "server.log") as (base_url, _),
        ):
            await measure(base_url, tokens, rounds)
    finally:
        await clients.mongo.drop_database(settings.mongo_database)
        await clients.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12, help="rounds over every query and viewer")
    parser.add_argument("--fresh", action="store_true", help="generate the 300k corpus again")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.fresh))
