"""P1: `reports(first: 100)` through GraphQL against a careful hand-written endpoint
(tests.benchmarks.raw_reports: reads in parallel, batched, projected, orjson), both served by one hub server
process with production settings and the rate limiter on, over HTTP, on realistic reports (narratives of
every section, indicator values and evidence, three submitted revisions, a review history with return
reasons) in a database of their own.

Run with the shared services:  uv run python -m tests.benchmarks.reports_list [--rounds 300]
Both endpoints must return the same JSON. Also counts the hub's MongoDB commands for 10 and for 100 rows.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import orjson

from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.cases.models import Case, CaseCategory
from hub.clients import open_clients
from hub.core.clock import utcnow
from hub.regions.seed import seed_regions
from hub.reports.models import (
    Period,
    Report,
    ReportRevision,
    ReportStatus,
    ReportType,
    ReturnReason,
    ReviewEvent,
    RiskLevel,
)
from hub.reports.templates import seed_templates
from tests.benchmarks.harness import (
    abba,
    bench_settings,
    load_average,
    record,
    run_id,
    server_process,
    timed_get,
    timed_post,
)

QUERY = """query($first: Int!) { reports(first: $first, filter: {region: "31", periodFrom: "2090-Q1"}) {
  totalCount nodes { id title status period { key } region { name parent { code } } author { username }
  reviewer { username } caseCount } } }"""
PASSWORD = "bench-password-2026"
REGIONS = {code: ["ID", "31", code] for code in ("31.01", "31.71", "31.72", "31.73", "31.74", "31.75")}
SECTIONS = [
    "introduction",
    "political_situation",
    "election_stages",
    "government_support",
    "conflict",
    "analysis",
]
WORDS = [
    "situasi",
    "politik",
    "di",
    "wilayah",
    "kondusif",
    "tahapan",
    "pemilu",
    "berjalan",
    "sesuai",
    "jadwal",
    "koordinasi",
    "forkopimda",
    "rapat",
    "kesbangpol",
    "partai",
    "politik",
    "organisasi",
    "kemasyarakatan",
    "unjuk",
    "rasa",
    "damai",
    "hibah",
    "nphd",
    "pencairan",
    "logistik",
    "kpu",
    "bawaslu",
    "pengawasan",
    "netralitas",
    "asn",
    "kerawanan",
    "rendah",
    "sedang",
    "tinggi",
    "tindak",
    "lanjut",
    "kendala",
    "distribusi",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _report(rng: random.Random, region: str, period: Period, now: object) -> Report:
    narratives = {section: _text(rng, rng.randint(120, 260)) for section in SECTIONS}
    values = {
        f"indicator_{number:02d}": rng.choice([True, False, 12, 1500000, "rendah"]) for number in range(15)
    }
    evidence = {
        f"indicator_{number:02d}": [f"{rng.getrandbits(96):024x}" for _ in range(2)] for number in range(3)
    }
    submitted = utcnow() - timedelta(days=30)
    revisions = [
        ReportRevision(
            number=number,
            submitted_by="user:operator-31.74",
            submitted_at=submitted + timedelta(days=number),
            narratives={section: _text(rng, rng.randint(100, 220)) for section in SECTIONS},
            values=values,
            evidence=evidence,
        )
        for number in (1, 2, 3)
    ]
    reviews = [
        ReviewEvent(action="submit", actor="user:operator-31.74", revision=1, at=submitted),
        ReviewEvent(
            action="return",
            actor="user:coordinator-31",
            revision=1,
            at=submitted + timedelta(hours=5),
            reasons=[ReturnReason(target=section, message=_text(rng, 25)) for section in SECTIONS[:3]],
            note=_text(rng, 15),
        ),
        ReviewEvent(
            action="submit", actor="user:operator-31.74", revision=2, at=submitted + timedelta(days=1)
        ),
        ReviewEvent(
            action="return",
            actor="user:coordinator-31",
            revision=2,
            at=submitted + timedelta(days=1, hours=3),
            reasons=[ReturnReason(target="analysis", message=_text(rng, 30))],
        ),
        ReviewEvent(
            action="submit", actor="user:operator-31.74", revision=3, at=submitted + timedelta(days=2)
        ),
        ReviewEvent(
            action="verify", actor="user:coordinator-31", revision=3, at=submitted + timedelta(days=3)
        ),
    ]
    return Report(
        region_code=region,
        region_path=REGIONS[region],
        type=ReportType.QUARTERLY,
        template_version=1,
        period=period,
        period_key=period.key,
        title=f"Laporan triwulan {period.key} {region}",
        narratives=narratives,
        values=values,
        evidence=evidence,
        risk_level=RiskLevel.MEDIUM,
        status=ReportStatus.VERIFIED,
        revision=3,
        revisions=revisions,
        reviews=reviews,
        author="user:operator-31.74",
        last_reviewer="user:coordinator-31",
        first_submitted_at=submitted,
        submitted_at=submitted + timedelta(days=2),
        due_at=utcnow() + timedelta(days=30),
    )


async def seed(count: int) -> int:
    """`count` realistic reports and a case for every third; the size of one report document in bytes."""
    rng = random.Random(5)
    slots = itertools.product(range(2090, 2100), range(1, 5), REGIONS)
    now = utcnow()
    reports = [
        _report(rng, region, Period(year=year, quarter=quarter), now)
        for _, (year, quarter, region) in zip(range(count), slots, strict=False)
    ]
    await Report.insert_many(reports)
    stored = await Report.find({"period_key": {"$gte": "2090-Q1"}}).to_list()
    await Case.insert_many(
        [
            Case(
                region_code=report.region_code,
                region_path=report.region_path,
                title="Logistik terlambat",
                description="Kotak suara belum tiba.",
                category=CaseCategory.LOGISTICS,
                severity=RiskLevel.HIGH,
                source_report_id=report.id,
                due_at=now + timedelta(days=7),
                opened_by="user:coordinator-31",
            )
            for report in stored[::3]
        ]
    )
    return len(orjson.dumps(stored[0].model_dump(mode="json")))


async def _round_trips(client: httpx.AsyncClient, first: int) -> int:
    await client.get("/bench/commands")
    await timed_post(client, "/graphql", json={"query": QUERY, "variables": {"first": first}})
    return sum(orjson.loads((await client.get("/bench/commands")).content).values())


@dataclass(frozen=True)
class ServerCpu:
    hub_ms: float
    raw_ms: float


async def _server_cpu(client: httpx.AsyncClient) -> ServerCpu:
    """The median CPU time the server process spent on each GraphQL and each hand-written request since the
    last call (tests.benchmarks.server)."""
    found = orjson.loads((await client.get("/bench/timings")).content)
    hub = [cpu for path, _, cpu in found if path == "/graphql"]
    raw = [cpu for path, _, cpu in found if path == "/raw/reports"]
    return ServerCpu(statistics.median(hub) * 1000, statistics.median(raw) * 1000)


async def measure(base_url: str, token: str, rounds: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as client:
        payload = {"query": QUERY, "variables": {"first": 100}}
        _, graph = await timed_post(client, "/graphql", json=payload)
        _, raw = await timed_get(client, "/raw/reports?first=100")
        graph_json, raw_json = orjson.loads(graph), orjson.loads(raw)
        assert graph_json == raw_json, "the two endpoints must return identical JSON"
        nodes = len(graph_json["data"]["reports"]["nodes"])
        assert nodes == 100, nodes

        async def hub() -> float:
            return (await timed_post(client, "/graphql", json=payload))[0]

        async def hand() -> float:
            return (await timed_get(client, "/raw/reports?first=100"))[0]

        await client.get("/bench/timings")
        comparison = await abba("reports(first: 100) over HTTP", hub, hand, rounds)
        cpu = await _server_cpu(client)
        trips_10 = await _round_trips(client, 10)
        trips_100 = await _round_trips(client, 100)
    print(comparison.lines(hub="GraphQL", raw="hand-written (gather, orjson)"))
    print(f"  MongoDB commands per request: {trips_10} for 10 rows, {trips_100} for 100 rows")
    print(
        f"  the server's CPU time per request (less exposed to a shared machine's load): GraphQL p50 "
        f"{cpu.hub_ms:.2f} ms, hand-written p50 {cpu.raw_ms:.2f} ms, ratio {cpu.hub_ms / cpu.raw_ms:.2f}x"
    )
    record(
        p1_ratio=round(comparison.ratio, 3),
        p1_p95_ratio=round(comparison.p95_ratio, 3),
        p1_gap_ms=round(comparison.gap * 1000, 2),
        p1_hub_p50_ms=round(sorted(comparison.hub)[len(comparison.hub) // 2] * 1000, 2),
        p1_round_trips_10=trips_10,
        p1_round_trips_100=trips_100,
        p1_cpu_ratio=round(cpu.hub_ms / cpu.raw_ms, 3),
        p1_cpu_gap_ms=round(cpu.hub_ms - cpu.raw_ms, 2),
    )


async def main(rounds: int) -> None:
    run = run_id()
    settings = bench_settings(run)
    clients = await open_clients(settings)
    try:
        await seed_regions()
        await seed_templates()
        for username, role, region in (
            ("operator-31.74", Role.OPERATOR, "31.74"),
            ("coordinator-31", Role.COORDINATOR, "31"),
            ("reviewer", Role.REVIEWER, "ID"),
        ):
            await create_user(username=username, password=PASSWORD, role=role, region_code=region)
        size = await seed(120)
        print(f"P1: 120 reports of {size / 1024:.1f} KiB each (load average {load_average()})")
        token = (await login(settings, "reviewer", PASSWORD)).access_token
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
    parser.add_argument("--rounds", type=int, default=300, help="timed requests per endpoint")
    asyncio.run(main(parser.parse_args().rounds))
