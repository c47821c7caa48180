"""Benchmark: server time of the national completeness figures and matrix for 552 regions x 4 quarters.

Run with the local services up:  uv run python -m tests.benchmarks.completeness_matrix [--rounds 20]
Creates its own database (dropped afterwards), seeds regions, requirements for four quarters (a quarterly
report of every province, regency and city, and a decree document of every regency and city), and reports
for ~80% and documents for ~60% of them; then times the GraphQL queries in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.app import create_app
from hub.clients import open_clients
from hub.completeness.models import RequirementKind
from hub.completeness.services import create_requirement
from hub.documents.models import DocumentCategory, StoredDocument
from hub.regions.models import Region, RegionLevel
from hub.regions.seed import seed_regions
from hub.reports.models import Period, Report, ReportStatus, ReportType
from hub.settings import load_settings

QUARTERS = [Period(year=2035, quarter=quarter) for quarter in (1, 2, 3, 4)]
KEYS = ", ".join(f'"{period.key}"' for period in QUARTERS)
FIGURES_QUERY = f"""{{ completeness(periods: [{KEYS}], region: "ID") {{
  total {{ expected delivered onTime }}
  rows {{ region {{ code }}
         figures {{ expected delivered onTime late missing reportingRate onTimeRate }} }} }} }}"""
MATRIX_QUERY = f"""query($after: String) {{
  completenessMatrix(periods: [{KEYS}], region: "ID", first: 600, after: $after) {{
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


async def main(rounds: int) -> None:
    run = uuid.uuid4().hex[:8]
    settings = load_settings().model_copy(
        update={
            "mongo_database": f"pantau_bench_{run}",
            "es_index_prefix": f"bench-{run}",
            "cost_budget_per_window": 0,
        }
    )
    clients = await open_clients(settings)
    try:
        await seed_regions()
        regions = await Region.find({"level": {"$ne": RegionLevel.NATIONAL.value}}).to_list()
        await _seed(regions)
        await create_user(
            username="reviewer", password="bench-password-2026", role=Role.REVIEWER, region_code="ID"
        )
        token = (await login(settings, "reviewer", "bench-password-2026")).access_token
        app = create_app(settings, shared_clients=clients)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            headers = {"Authorization": f"Bearer {token}"}
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", headers=headers
            ) as http:
                figures, matrix = [], []
                for _ in range(rounds):
                    started = time.perf_counter()
                    body = (await http.post("/graphql", json={"query": FIGURES_QUERY})).json()
                    figures.append(time.perf_counter() - started)
                    assert "errors" not in body, body
                    started, after, rows = time.perf_counter(), None, 0
                    while True:
                        page = (
                            await http.post(
                                "/graphql", json={"query": MATRIX_QUERY, "variables": {"after": after}}
                            )
                        ).json()
                        found = page["data"]["completenessMatrix"]
                        rows += len(found["rows"])
                        if not found["hasNextPage"]:
                            break
                        after = found["endCursor"]
                    matrix.append(time.perf_counter() - started)
        total = body["data"]["completeness"]["total"]
        p95 = sorted(figures)[int(0.95 * (len(figures) - 1))] * 1000
        print(f"national: {total['expected']} expected, {total['delivered']} delivered; {rows} matrix rows")
        print(
            f"  completeness(region: ID, 4 quarters): median {statistics.median(figures) * 1000:.1f} ms,"
            f" p95 {p95:.1f} ms (target <= 100 ms)"
        )
        matrix_p95 = sorted(matrix)[int(0.95 * (len(matrix) - 1))] * 1000
        print(
            f"  completenessMatrix, all {rows} rows at once: median {statistics.median(matrix) * 1000:.1f}"
            f" ms, p95 {matrix_p95:.1f} ms (target <= 100 ms)"
        )
    finally:
        await clients.mongo.drop_database(settings.mongo_database)
        await clients.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    asyncio.run(main(parser.parse_args().rounds))
