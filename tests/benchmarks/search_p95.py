"""Benchmark: search latency through the hub's search layer against the same Elasticsearch query sent
directly, on a generated data set (default 200,000 reports and 100,000 documents), with the scope filter of
a national, a provincial and a regency viewer; and indexing throughput of the indexer's bulk path against raw
`async_streaming_bulk` of the same documents.

Run with the local services up:  uv run python -m tests.benchmarks.search_p95 [--reports 200000]
It writes isolated indices (prefix `bench-<id>`), prints p50/p95 and the ratios, and deletes them again.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_streaming_bulk

from hub.access.scope import Scope
from hub.clients import make_es
from hub.searches.filters import SearchFilters
from hub.settings import load_settings
from search.analysis import stem_text
from search.indices import DOCUMENTS, REPORTS, drop_indices, ensure_indices
from search.service import SearchRequest, search, search_body, search_indices

_DOMAIN = """pemilihan memilih pilkada pemilu kampanye logistik kotak suara surat tps kpu bawaslu dkpp
netralitas asn kepala daerah bupati gubernur wali kota warga masyarakat unjuk rasa demonstrasi damai kericuhan
kerusuhan keamanan ketertiban kondusif konflik sengketa rekapitulasi hasil perolehan calon partai politik
organisasi kemasyarakatan hibah nphd anggaran pencairan rapat koordinasi forkopimda tindak lanjut kendala
distribusi gudang petugas pengawas saksi laporan triwulan situasi potensi kerawanan tinggi sedang rendah dinas
kecamatan desa kelurahan pemungutan penghitungan pelantikan tahapan"""
_SYLLABLES = ("ba", "ka", "ri", "tu", "se", "lo", "man", "ja", "di", "ngu", "pe", "sa", "ra", "wi", "nga")


def _vocabulary(size: int = 4000) -> tuple[list[str], list[float]]:
    """Domain words among filler words, with Zipf-like frequencies as in real text."""
    rng = random.Random(11)
    filler = {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    words = list(_DOMAIN.split()) + sorted(filler)
    rng.shuffle(words)
    return words, [1 / (rank + 1) for rank in range(len(words))]


WORDS, WEIGHTS = _vocabulary()
QUERIES = [
    "pemilihan",
    "unjuk rasa",
    '"netralitas asn"',
    "logistik -kerusuhan",
    "pemilhan kendala",
    "kampanye OR demonstrasi",
]
ROUNDS = 30


def _regions() -> list[list[str]]:
    path = Path(__file__).resolve().parents[2] / "hub" / "regions" / "data" / "regions.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["level"] in {"regency", "city"}]
    return [["ID", row["parent_code"], row["code"]] for row in rows]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, WEIGHTS, k=words)) + "."


def _source(rng: random.Random, number: int, kind: str, regions: list[list[str]]) -> dict[str, Any]:
    path = rng.choice(regions)
    title, text = _text(rng, 5), _text(rng, rng.randint(30, 90))
    when = datetime(2022, 1, 1, tzinfo=UTC) + timedelta(hours=number % 30_000)
    record_id = f"{number:024x}"
    source: dict[str, Any] = {
        "kind": kind,
        "record_id": record_id,
        "record_version": 1,
        "title": title,
        "title_stem": stem_text(title),
        "text": text,
        "text_stem": stem_text(text),
        "region_code": path[-1],
        "region_path": path,
        "province": path[1],
        "category": rng.choice(["decree", "minutes", "nphd", "photo"]) if kind == "document" else None,
        "date": when.isoformat(),
        "created_at": when.isoformat(),
    }
    if kind == "report":
        quarter = (when.month - 1) // 3 + 1
        source |= {"report_type": "quarterly", "status": "submitted", "period_key": f"{when.year}-Q{quarter}"}
    return {key: value for key, value in source.items() if value is not None}


def _actions(
    prefix: str, count: int, kind: str, start: int, regions: list[list[str]]
) -> Iterator[dict[str, Any]]:
    rng = random.Random(start)
    alias = (REPORTS if kind == "report" else DOCUMENTS).alias(prefix)
    for number in range(start, start + count):
        yield {
            "_index": alias,
            "_id": f"{number:024x}",
            "version": 1,
            "version_type": "external",
            "_source": _source(rng, number, kind, regions),
        }


async def _bulk(es: AsyncElasticsearch, actions: Iterator[dict[str, Any]]) -> int:
    async def stream() -> AsyncIterator[dict[str, Any]]:
        for action in actions:
            yield action

    done = 0
    async for ok, _ in async_streaming_bulk(es, stream(), chunk_size=2000, raise_on_error=False):
        done += ok
    return done


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


async def _timed(work: Any) -> float:
    started = time.perf_counter()
    await work
    return (time.perf_counter() - started) * 1000


async def _measure(es: AsyncElasticsearch, prefix: str, scopes: dict[str, Scope]) -> None:
    """Each round runs the hub's search and the same body sent directly, in alternating order."""
    hub: list[float] = []
    direct: list[float] = []
    by_query: dict[str, list[float]] = {query: [] for query in QUERIES}
    for label, scope in scopes.items():
        scope_hub: list[float] = []
        for query in QUERIES:
            for facets in (False, True):
                request = SearchRequest(text=query, first=20, facets=facets, filters=SearchFilters())
                body = search_body(request, scope)
                index = search_indices(prefix, request.filters)
                for round_ in range(ROUNDS + 3):
                    if round_ % 2:
                        raw = await _timed(es.search(index=index, **body))
                        through_hub = await _timed(search(es, prefix, request, scope=scope))
                    else:
                        through_hub = await _timed(search(es, prefix, request, scope=scope))
                        raw = await _timed(es.search(index=index, **body))
                    if round_ >= 3:  # warm-up
                        scope_hub.append(through_hub)
                        by_query[query].append(through_hub)
                        hub.append(through_hub)
                        direct.append(raw)
        p50, p95 = _percentiles(scope_hub)
        print(f"  scope {label:<10} hub p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    for query, samples in by_query.items():
        p50, p95 = _percentiles(samples)
        print(f"  query {query:<26} hub p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    hub_p50, hub_p95 = _percentiles(hub)
    direct_p50, direct_p95 = _percentiles(direct)
    print(f"hub search    p50 {hub_p50:6.1f} ms  p95 {hub_p95:6.1f} ms  (target p95 <= 50 ms)")
    print(f"direct ES     p50 {direct_p50:6.1f} ms  p95 {direct_p95:6.1f} ms")
    print(f"ratio hub/direct at p95: {hub_p95 / direct_p95:.2f}x  (target <= 1.25x)")


def _synthetic_reports(count: int, regions: list[list[str]]) -> list[Any]:
    """Report records as the indexer gets them from MongoDB (built without a database)."""
    from beanie import PydanticObjectId

    from hub.reports.models import Period, Report, ReportStatus, ReportType

    rng = random.Random(7)
    now = datetime.now(UTC)
    return [
        Report.model_construct(
            id=PydanticObjectId(),
            region_code=(path := rng.choice(regions))[-1],
            region_path=path,
            type=ReportType.QUARTERLY,
            template_version=1,
            period=Period(year=2026, quarter=rng.randint(1, 4)),
            period_key="bench",
            title=_text(rng, 5),
            narratives={"political_situation": _text(rng, 40), "analysis": _text(rng, 30)},
            values={"conflict_potential": "rendah"},
            status=ReportStatus.SUBMITTED,
            risk_level=None,
            incident=None,
            stage_code=None,
            version=1,
            needs_index=True,
            due_at=now,
            created_at=now,
            updated_at=now,
        )
        for _ in range(count)
    ]


async def _indexing(es: AsyncElasticsearch, prefix: str, count: int, regions: list[list[str]]) -> None:
    """The indexer's path (sources stemmed from records, bulk with external versions) against raw bulk of
    sources prepared beforehand, into two fresh indices of their own."""
    from search.indexer import bulk_index
    from search.kinds import REPORT_KIND

    reports = _synthetic_reports(count, regions)
    raw_prefix, pipeline_prefix = f"{prefix}-raw", f"{prefix}-pipe"
    await ensure_indices(es, raw_prefix)
    await ensure_indices(es, pipeline_prefix)
    prepared = [
        {
            "_index": REPORT_KIND.alias(raw_prefix),
            "_id": str(report.id),
            "_source": REPORT_KIND.source(report),
        }
        for report in reports
    ]
    started = time.perf_counter()
    await _bulk(es, iter(prepared))
    raw_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for offset in range(0, len(reports), 2000):
        batch = reports[offset : offset + 2000]
        await bulk_index(
            es, REPORT_KIND, batch, target=REPORT_KIND.alias(pipeline_prefix), clear_markers=False
        )
    pipeline_seconds = time.perf_counter() - started
    raw_rate, pipeline_rate = count / raw_seconds, count / pipeline_seconds
    print(f"indexing {count} reports: raw bulk {raw_rate:,.0f}/s, pipeline {pipeline_rate:,.0f}/s")
    print(f"ratio pipeline/raw throughput: {raw_seconds / pipeline_seconds:.2f}  (target >= 0.7)")


async def main(reports: int, documents: int, indexing: int) -> None:
    settings = load_settings()
    es = make_es(settings)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    regions = _regions()
    try:
        await ensure_indices(es, prefix)
        for name in ("reports", "documents"):
            await es.indices.put_settings(index=f"{prefix}-{name}", settings={"refresh_interval": "-1"})
        started = time.perf_counter()
        written = await _bulk(es, _actions(prefix, reports, "report", 0, regions))
        written += await _bulk(es, _actions(prefix, documents, "document", reports, regions))
        for name in ("reports", "documents"):
            await es.indices.put_settings(index=f"{prefix}-{name}", settings={"refresh_interval": "1s"})
        await es.indices.refresh(index=f"{prefix}-*")
        await es.indices.forcemerge(index=f"{prefix}-*", max_num_segments=1)
        print(f"indexed {written:,} records in {time.perf_counter() - started:.0f} s")
        scopes = {
            "national": Scope.everything(),
            "province": Scope.subtrees(["31"]),
            "regency": Scope.subtrees(["31.74"]),
        }
        await _measure(es, prefix, scopes)
        if indexing:
            await _indexing(es, prefix, indexing, regions)
    finally:
        await drop_indices(es, prefix)
        await es.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument(
        "--indexing", type=int, default=50_000, help="reports for the indexing ratio (0: skip)"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.reports, arguments.documents, arguments.indexing))
