"""Turns search hits into records through the scoped DataLoaders: one query per kind for a page, and a hit
whose record the viewer may not see (or that is gone) is dropped, whatever the index said. Snippets are shown
only when the viewer reads every field they quote (the search asked only for those: this checks again)."""

from __future__ import annotations

import asyncio
from typing import Any

from hub.access.visibility import SEARCH_TITLE_FIELDS, allows
from schema.cases.types import Case
from schema.context import Info
from schema.documents.types import Document
from schema.reports.types import Report
from schema.search.types import SearchHit, SearchKind
from search.service import SearchHit as FoundHit


async def _records(info: Info, hits: list[FoundHit]) -> dict[str, Any]:
    loaders = info.context.loaders
    by_kind: dict[str, list[str]] = {"report": [], "case": [], "document": []}
    for hit in hits:
        by_kind["report" if hit.kind == "incident" else hit.kind].append(hit.id)
    found: dict[str, Any] = {}
    # Without their text (summaries): a hit shows its snippets, not the record's text. The kinds are read
    # at the same time.
    reports, cases, documents = await asyncio.gather(
        loaders.report_summary.load_many(by_kind["report"]) if by_kind["report"] else _nothing(),
        loaders.case.load_many(by_kind["case"]) if by_kind["case"] else _nothing(),
        loaders.document_summary.load_many(by_kind["document"]) if by_kind["document"] else _nothing(),
    )
    found |= {str(r.id): Report.from_model(r) for r in reports if r is not None}
    found |= {str(c.id): Case.from_model(c) for c in cases if c is not None}
    found |= {str(d.id): Document.from_model(d) for d in documents if d is not None}
    return found


async def _nothing() -> list[Any]:
    return []


async def hydrate(info: Info, hits: list[FoundHit]) -> list[SearchHit | None]:
    """One GraphQL hit per search hit, in order; None where the record is dropped."""
    scope = info.context.principal.scope
    records = await _records(info, hits)
    found: list[SearchHit | None] = []
    for hit in hits:
        record = records.get(hit.id)
        if record is None or hit.kind not in SEARCH_TITLE_FIELDS:
            found.append(None)
            continue
        quotes_granted = all(allows(scope, quoted) for quoted in hit.quoted)
        found.append(
            SearchHit(
                score=hit.score or 0.0,
                kind=SearchKind(hit.kind),
                highlights=hit.highlights if quotes_granted else [],
                title_highlight=(
                    hit.title_highlight if allows(scope, SEARCH_TITLE_FIELDS[hit.kind]) else None
                ),
                node=record,
                document=record if isinstance(record, Document) else None,
            )
        )
    return found
