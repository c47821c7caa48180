"""P5: server time of the national completeness figures and matrix for 552 regions x 4 quarters.

Run with the shared services:  uv run python -m tests.benchmarks.completeness_matrix [--rounds 120]
Creates its own database (dropped afterwards), seeds regions, requirements for four quarters (a quarterly
report of every province, regency and city, and a decree document of every regency and city), and reports
for ~80% and documents for ~60% of them; then runs the hub as a server process (production settings, rate
limiter on) and, after warm-ups, times each request in the server (tests.benchmarks.server: from its arrival
to its last byte; the client's JSON decoding is not in it).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import orjson

from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.clients import open_clients
from hub.completeness.models import RequirementKind
from hub.completeness.services import create_requirement
from hub.documents.models import DocumentCategory, StoredDocument
from hub.regions.models import Region, RegionLevel
from hub.regions.seed import seed_regions
from hub.reports.models import Period, Report, ReportStatus, ReportType
from tests.benchmarks.harness import (
    WARM_UPS,
    bench_settings,
    load_average,
    p95,
    record,
    run_id,
    server_process,
)

QUARTERS = [Period(year=2035, quarter=quarter) for quarter in (1, 2, 3, 4)]
KEYS = ", ".join(f'"{period.key}"' for period in QUARTERS)
FIGURES_QUERY = f"""{{ completeness(periods: [{KEYS}], region: "ID") {{
  total {{ expected delivered onTime }}
  rows {{ region {{ code }}
         figures {{ expected delivered onTime late missing reportingRate onTimeRate }} }} }} }}"""
# Two pages of the matrix: a whole one (600 rows) costs more than a request may (PANTAU_MAX_QUERY_COST).
MATRIX_QUERY = f"""query($after: String) {{
  completenessMatrix(periods: [{KEYS}], region: "ID", first: 300, after: $after) {{
    totalCount hasNextPage endCursor requirements {{ id }} rows {{ region {{ code }} states }} }} }}"""


async def _seed(regions: list[Region]) -> None:
    rng = random.Random(7)
    reports, documents = [], []
    for period in QUARTERS:
        start = datetime(2035, 3 * period.quarter - 2, 1, tzinfo=UTC)
        due = start + timedelta(days=105)
        for kind, levels in (
            (RequirementKind.REPORT, [RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.CITY]),
            (RequirementKind.DOCUMENT, [RegionLevel.REGENCY, RegionLevel.CITY]),
        ):
            await create_requirement(
                actor="system:bench",
                period_key=period.key,
                kind=kind,
                levels=levels,
                due_at=due,
                title=f"{kind.value} {period.key}",
                report_type=ReportType.QUARTERLY if kind is RequirementKind.REPORT else None,
                document_category=DocumentCategory.DECREE if kind is RequirementKind.DOCUMENT else None,
            )
        for region in regions:
            if rng.random() < 0.8:
                submitted = due + timedelta(days=rng.randint(-20, 10))
                reports.append(
                    Report(
                        region_code=region.id,
                        region_path=region.subtree_codes,
                        type=ReportType.QUARTERLY,
                        template_version=1,
                        period=period,
                        period_key=period.key,
                        title="Triwulan",
                        author="system:bench",
                        status=rng.choice([ReportStatus.SUBMITTED, ReportStatus.VERIFIED]),
                        first_submitted_at=submitted,
                        submitted_at=submitted,
                        due_at=due,
                    )
                )
            if region.level is not RegionLevel.PROVINCE and rng.random() < 0.6:
                uploaded = start + timedelta(days=rng.randint(0, 120))
                documents.append(
                    StoredDocument(
                        region_code=region.id,
                        region_path=region.subtree_codes,
                        category=DocumentCategory.DECREE,
                        file_name="sk.pdf",
                        object_key=f"bench/{uuid.uuid4()}",
                        content_type="application/pdf",
                        size=1,
                        sha256=uuid.uuid4().hex,
                        created_at=uploaded,
                        updated_at=uploaded,
                    )
                )
    await Report.insert_many(reports)
    await StoredDocument.insert_many(documents)
    print(
        f"seeded {len(reports)} reports and {len(documents)} documents, {len(regions)} regions x 4 quarters"
    )


async def _server_times(http: httpx.AsyncClient, cpu: list[float] | None = None) -> list[float]:
    """The server times of the requests since the last call; their CPU times appended to `cpu`."""
    found = orjson.loads((await http.get("/bench/timings")).content)
    if cpu is not None:
        cpu += [cpu_seconds for _, _, cpu_seconds in found]
    return [seconds for _, seconds, _ in found]


async def measure(base_url: str, token: str, rounds: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as http:

        async def matrix_pages() -> int:
            after, rows = None, 0
            while True:
                page = orjson.loads(
                    (
                        await http.post(
                            "/graphql", json={"query": MATRIX_QUERY, "variables": {"after": after}}
                        )
                    ).content
                )
                found = page["data"]["completenessMatrix"]
                rows += len(found["rows"])
                if not found["hasNextPage"]:
                    return rows
                after = found["endCursor"]

        for _ in range(WARM_UPS):
            await http.post("/graphql", json={"query": FIGURES_QUERY})
            await matrix_pages()
        await _server_times(http)
        figures: list[float] = []
        figures_cpu: list[float] = []
        matrix: list[float] = []
        for _ in range(rounds):
            body = orjson.loads((await http.post("/graphql", json={"query": FIGURES_QUERY})).content)
            assert "errors" not in body, body
            figures += await _server_times(http, figures_cpu)
            rows = await matrix_pages()
            matrix.append(sum(await _server_times(http)))
    total = body["data"]["completeness"]["total"]
    print(f"national: {total['expected']} expected, {total['delivered']} delivered; {rows} matrix rows")
    print(
        f"  completeness(region: ID, 4 quarters), server time over {len(figures)} requests after {WARM_UPS} "
        f"warm-ups: p50 {statistics.median(figures) * 1000:.1f} ms, p95 {p95(figures) * 1000:.1f} ms "
        "(target <= 100 ms)"
    )
    print(
        f"  the same, the server's CPU time (less exposed to a shared machine's load): "
        f"p50 {statistics.median(figures_cpu) * 1000:.1f} ms, p95 {p95(figures_cpu) * 1000:.1f} ms"
    )
    print(
        f"  completenessMatrix, all {rows} rows: p50 {statistics.median(matrix) * 1000:.1f} ms, "
        f"p95 {p95(matrix) * 1000:.1f} ms"
    )
    record(
        p5_p95_ms=round(p95(figures) * 1000, 1),
        p5_cpu_p95_ms=round(p95(figures_cpu) * 1000, 1),
        p5_matrix_p95_ms=round(p95(matrix) * 1000, 1),
    )


async def main(rounds: int) -> None:
    run = run_id()
    settings = bench_settings(run)
    clients = await open_clients(settings)
    try:
        await seed_regions()
        regions = await Region.find({"level": {"$ne": RegionLevel.NATIONAL.value}}).to_list()
        await _seed(regions)
        await create_user(
            username="reviewer", password="bench-password-2026", role=Role.REVIEWER, region_code="ID"
        )
        token = (await login(settings, "reviewer", "bench-password-2026")).access_token
        print(f"P5 (load average {load_average()})")
        with (
            tempfile.TemporaryDirectory(prefix="pantau-bench-") as scratch,
            server_process(settings, Path(scratch) / "server.log") as (base_url, _),
        ):
            await measure(base_url, token, rounds)
    finally:
        await clients.mongo.drop_database(settings.mongo_database)
        await clients.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=120)
    asyncio.run(main(parser.parse_args().rounds))
