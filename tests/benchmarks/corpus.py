"""P2's data set: 300,000 records in Elasticsearch (200,000 reports and 100,000 documents of Indonesian-like
text over every regency and city, Zipf-distributed words), written with bulk requests, refreshed and merged
to one segment. It is kept between runs under its own prefix (CORPUS_PREFIX: made once, found again by its
count; the prefix names the index definition's version, so a new definition makes a corpus of its own);
`--fresh` in tests.benchmarks.search_p95 makes it again. Generation takes a few minutes on these
machines (printed when it runs).
"""

from __future__ import annotations

import csv
import random
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_streaming_bulk

from search.analysis import stem_text
from search.indices import DOCUMENTS, REPORTS, VERSION, drop_indices, ensure_indices

CORPUS_PREFIX = f"bench-corpus-300k-v1-i{VERSION}"
REPORTS_COUNT = 200_000
DOCUMENTS_COUNT = 100_000

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


def region_paths() -> list[list[str]]:
    path = Path(__file__).resolve().parents[2] / "hub" / "regions" / "data" / "regions.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["level"] in {"regency", "city"}]
    return [["ID", row["parent_code"], row["code"]] for row in rows]


def text_of(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, WEIGHTS, k=words)) + "."


def _source(rng: random.Random, number: int, kind: str, regions: list[list[str]]) -> dict[str, Any]:
    path = rng.choice(regions)
    title, text = text_of(rng, 5), text_of(rng, rng.randint(30, 90))
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


async def bulk(es: AsyncElasticsearch, actions: Iterator[dict[str, Any]]) -> int:
    async def stream() -> AsyncIterator[dict[str, Any]]:
        for action in actions:
            yield action

    done = 0
    async for ok, _ in async_streaming_bulk(es, stream(), chunk_size=2000, raise_on_error=False):
        done += ok
    return done


async def ensure_corpus(es: AsyncElasticsearch, *, fresh: bool = False) -> str:
    """The corpus's prefix, generating it first when it is missing (or incomplete, or `fresh`)."""
    prefix = CORPUS_PREFIX
    expected = REPORTS_COUNT + DOCUMENTS_COUNT
    aliases = [REPORTS.alias(prefix), DOCUMENTS.alias(prefix)]
    if not fresh and all([await es.indices.exists_alias(name=alias) for alias in aliases]):
        found = (await es.count(index=",".join(aliases)))["count"]
        if found == expected:
            print(f"corpus: {found:,} records found under {prefix} (kept from an earlier run)")
            return prefix
    await drop_indices(es, prefix)
    regions = region_paths()
    started = time.perf_counter()
    await ensure_indices(es, prefix)
    for name in ("reports", "documents"):
        await es.indices.put_settings(index=f"{prefix}-{name}", settings={"refresh_interval": "-1"})
    written = await bulk(es, _actions(prefix, REPORTS_COUNT, "report", 0, regions))
    written += await bulk(es, _actions(prefix, DOCUMENTS_COUNT, "document", REPORTS_COUNT, regions))
    for name in ("reports", "documents"):
        await es.indices.put_settings(index=f"{prefix}-{name}", settings={"refresh_interval": "1s"})
    await es.indices.refresh(index=f"{prefix}-*")
    await es.indices.forcemerge(index=f"{prefix}-*", max_num_segments=1)
    print(f"corpus: generated {written:,} records in {time.perf_counter() - started:.0f} s under {prefix}")
    return prefix
