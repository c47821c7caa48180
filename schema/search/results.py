"""Turns search hits into records through the scoped DataLoaders: one query per kind for a page, and a hit
whose record the viewer may not see (or that is gone) is dropped, whatever the index said. Snippets are shown
only when the viewer reads every field they quote (the search asked only for those: this checks again).

The regions of the hits are read at the same time as their records (by the region each hit was indexed
with), each built once per page and handed to the records as presets (schema.prefetch): no round of region
queries after the records. A record whose region is not the one indexed resolves its region as usual."""

from __future__ import annotations

import asyncio
from typing import Any

from strawberry.relay.utils import to_base64

from hub.access.visibility import SEARCH_TITLE_FIELDS, allows
from schema.cases.types import Case
from schema.context import Info
from schema.documents.types import Document
from schema.prefetch import fields_by_name, give_presets
from schema.regions.types import Region
from schema.reports.page import region_nodes
from schema.reports.types import Report
from schema.search.types import SearchHit, SearchKind
from search.service import SearchHit as FoundHit


def _record_fields(info: Info) -> dict[str, list[Any]]:
    """The fields selected on the hits' records, through `edges { node }` or `nodes`, then `node` or
    `document` (fragments flattened)."""
    page = fields_by_name(selection for field in info.selected_fields for selection in field.selections)
    hits = [*page.get("nodes", []), *fields_by_name(page.get("edges", [])).get("node", [])]
    records = fields_by_name(hits)
    return fields_by_name([*records.get("node", []), *records.get("document", [])])


async def _records(info: Info, hits: list[FoundHit]) -> dict[str, Any]:
    loaders = info.context.loaders
    by_kind: dict[str, list[str]] = {"report": [], "case": [], "document": []}
    for hit in hits:
        by_kind["report" if hit.kind == "incident" else hit.kind].append(hit.id)
    codes: list[str] = []
    if "region" in _record_fields(info):
        codes = sorted({hit.region_code for hit in hits if hit.region_code})
    # Without their text (summaries): a hit shows its snippets, not the record's text. The kinds and the
    # regions are read at the same time.
    reports, cases, documents, regions = await asyncio.gather(
        loaders.report_summary.load_many(by_kind["report"]) if by_kind["report"] else _nothing(),
        loaders.case.load_many(by_kind["case"]) if by_kind["case"] else _nothing(),
        loaders.document_summary.load_many(by_kind["document"]) if by_kind["document"] else _nothing(),
        loaders.region.load_many(codes) if codes else _nothing(),
    )
    built = region_nodes(regions)
    found: dict[str, Any] = {}
    for report in reports:
        if report is not None:
            node = Report.from_model(report)
            found[node.report_id] = _preset(node, "Report", node.report_id, report.region_code, built)
    found |= {str(c.id): Case.from_model(c) for c in cases if c is not None}
    for document in documents:
        if document is not None:
            record = Document.from_model(document)
            found[record.document_id] = _preset(
                record, "Document", record.document_id, document.region_code, built
            )
    return found


def _preset(node: Any, type_name: str, record_id: str, region_code: str, regions: dict[str, Region]) -> Any:
    """The record's global id as it is sent (encoded once, as on report pages), and its region when it was
    read with the records."""
    presets: dict[str, Any] = {"id": to_base64(type_name, record_id)}
    if region_code in regions:
        presets["region"] = regions[region_code]
    give_presets(node, presets)
    return node


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
