"""Supporting documents: the records, and the files they point at (stored once under `demo/<sha256>`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from hub.demo.context import Run
from hub.demo.files import DemoFile, scanned_png, text_pdf
from hub.demo.vocabulary import fill, vocabulary
from hub.documents.models import DocumentCategory, DocumentState, StoredDocument
from hub.regions.models import Region

# A region's documents cycle through these, so that every region has a decree and an NPHD (the evidence the
# quarterly reports cite) among its first documents.
CATEGORY_CYCLE = (
    DocumentCategory.DECREE,
    DocumentCategory.NPHD,
    DocumentCategory.MINUTES,
    DocumentCategory.PHOTO,
    DocumentCategory.CORRESPONDENCE,
    DocumentCategory.OTHER,
)
KEY_PREFIX = "demo/"


@dataclass(frozen=True)
class DemoFileSpec:
    """A file to make: its category, name, and whether it is a scan."""

    category: DocumentCategory
    name: str
    scanned: bool
    year: int


def object_key(file: DemoFile) -> str:
    return f"{KEY_PREFIX}{file.sha256}"


def render(spec: DemoFileSpec, rng: random.Random, region_name: str, agenda: str) -> DemoFile:
    """The file's text from its category's template, rendered; `agenda` (a filing number of its own) makes
    every file distinct, as the hub keeps one document per content and region."""
    template = vocabulary()["documents"][spec.category.value]
    context = {
        "region": region_name,
        "region_upper": region_name.upper(),
        "number": rng.randint(1, 999),
        "year": spec.year,
        "date": f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {spec.year}",
        "amount": f"{rng.randint(5, 90) * 1_000_000_000:,}".replace(",", "."),
        "hour": rng.randint(9, 16),
    }
    title = fill(template["title"], rng, context)
    lines = [*(fill(line, rng, context) for line in template["lines"]), f"Nomor agenda: {agenda}"]
    return scanned_png(title, lines) if spec.scanned else text_pdf(title, lines)


MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _spec(run: Run, rng: random.Random, number: int) -> DemoFileSpec:
    category = CATEGORY_CYCLE[number % len(CATEGORY_CYCLE)]
    scanned = category is DocumentCategory.PHOTO or rng.random() < run.plan.scanned_share
    year = run.periods[rng.randrange(len(run.periods))].year
    name = vocabulary()["documents"][category.value]["name"]
    return DemoFileSpec(category, f"{name}-{year}-{number + 1:03d}", scanned, year)


def pooled_files(run: Run, count: int) -> list[tuple[DemoFileSpec, DemoFile]]:
    """National: `count` distinct files naming no region, shared by every region's documents."""
    made = []
    for number in range(count):
        rng = run.keys.rng("pooled-file", number)
        spec = _spec(run, rng, number)
        made.append((spec, render(spec, rng, "Daerah", f"D-{number:04d}")))
    return made


def region_documents(
    run: Run, region: Region, pool: list[tuple[DemoFileSpec, DemoFile]] | None
) -> tuple[list[StoredDocument], list[DemoFile]]:
    """The region's documents, and the files they need. With a pool, each document is a pool file (none
    twice); without, each gets a file of its own naming the region. Pooled documents come with their text
    (extracted, waiting for the index); own files wait for the worker to extract or OCR them."""
    count = run.plan.documents_per_region
    region_rng = run.keys.rng("documents", region.id)
    offset = region_rng.randrange(len(pool)) if pool else 0
    documents, files = [], []
    start = run.now - timedelta(days=365 * run.plan.years)
    span = int((run.now - start).total_seconds())
    for number in range(count):
        rng = run.keys.rng("document", region.id, number)
        if pool:
            # Offset by the region, then the category cycle in steps of its length: pool files of the same
            # category as this number's, and distinct within the region.
            spec, file = pool[(offset * len(CATEGORY_CYCLE) + number) % len(pool)]
        else:
            spec = _spec(run, rng, number)
            file = render(spec, rng, region.name, f"{region.id}-{number:03d}")
        files.append(file)
        created = start + timedelta(seconds=rng.randrange(span))
        uploader = run.operator(region) if rng.random() < 0.7 else run.coordinator(region)
        extracted = pool is not None
        document_id = run.keys.object_id(created, "document", region.id, number)
        documents.append(
            StoredDocument(
                id=document_id,
                idempotency_key=f"demo:{document_id}",
                region_code=region.id,
                region_path=region.subtree_codes,
                category=spec.category,
                file_name=f"{spec.name}.{file.extension}",
                object_key=object_key(file),
                content_type=file.content_type,
                size=len(file.data),
                sha256=file.sha256,
                uploader=uploader,
                state=DocumentState.EXTRACTED if extracted else DocumentState.STORED,
                text=file.text if extracted else None,
                needs_index=extracted,
                uploaded_at=created,
                created_at=created,
                updated_at=created,
            )
        )
    return documents, files
