"""What the case, document and completeness exports contain (spelled as hub.exports.sources says): cases with
their follow-ups (each as `time actor: note`, newest last, in one cell), documents with their metadata (never
their text), and the completeness matrix."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from hub.access.principal import Principal
from hub.access.scope import Scope
from hub.access.users import visible_actor_names
from hub.cases.listing import CaseFilter
from hub.cases.listing import filter_criteria as case_criteria
from hub.cases.models import Case
from hub.completeness.services import matrix
from hub.core.clock import utcnow
from hub.core.ids import global_id
from hub.documents.listing import DocumentFilter
from hub.documents.listing import filter_criteria as document_criteria
from hub.documents.models import StoredDocument
from hub.exports.columns import Column, Export, batches, export_of, select
from hub.exports.formats import Row
from hub.exports.sources import region_names

CASE_COLUMNS = [
    Column("id", None),
    Column("region_code", None),
    Column("region", None),
    Column("title", "Case.title"),
    Column("category", "Case.category"),
    Column("severity", "Case.severity"),
    Column("status", "Case.status"),
    Column("due_at", "Case.dueAt"),
    Column("escalated_to", "Case.escalatedTo"),
    Column("opened_by", "Case.openedBy"),
    Column("created_at", "Case.createdAt"),
    Column("description", "Case.description"),
    Column("source_report", "Case.sourceReport"),
    Column("follow_up_count", "Case.followUps"),
    Column("follow_ups", "Case.followUps"),
    Column("resolution", "Case.resolution"),
]
DOCUMENT_COLUMNS = [
    Column("id", None),
    Column("region_code", None),
    Column("region", None),
    Column("category", "Document.category"),
    Column("file_name", "Document.fileName"),
    Column("content_type", "Document.contentType"),
    Column("size", "Document.size"),
    Column("sha256", "Document.sha256"),
    Column("state", "Document.state"),
    Column("version", "Document.version"),
    Column("uploaded_at", "Document.uploadedAt"),
    Column("created_at", "Document.createdAt"),
]


def _follow_ups(case: Case, people: dict[str, str]) -> str:
    return " | ".join(
        f"{entry.at.isoformat()} {people.get(entry.actor, '-')}: {entry.note}" for entry in case.follow_ups
    )


async def _cases(viewer: Principal, criteria: dict[str, Any], columns: list[Column]) -> AsyncIterator[Row]:
    names: dict[str, str] = {}
    async for batch in batches(Case, criteria):
        await region_names({case.region_code for case in batch}, names)
        actors = {case.opened_by for case in batch} | {f.actor for case in batch for f in case.follow_ups}
        people = await visible_actor_names(viewer, actors)
        for case in batch:
            cells = {
                "id": global_id("Case", case.id),
                "region_code": case.region_code,
                "region": names.get(case.region_code, ""),
                "title": case.title,
                "category": case.category.name,
                "severity": case.severity.name,
                "status": case.status.name,
                "due_at": case.due_at,
                "escalated_to": case.escalated_to or "",
                "opened_by": people.get(case.opened_by, ""),
                "created_at": case.created_at,
                "description": case.description,
                "source_report": global_id("Report", case.source_report_id) if case.source_report_id else "",
                "follow_up_count": len(case.follow_ups),
                "follow_ups": _follow_ups(case, people),
                "resolution": case.resolution.note if case.resolution else "",
            }
            yield select(columns, cells)


async def cases_export(viewer: Principal, wanted: CaseFilter) -> Export:
    """The filter is built here (raising CaseError for an unknown region), before the first row."""
    criteria = await case_criteria(wanted, viewer.scope, utcnow())
    return export_of("cases", CASE_COLUMNS, viewer.scope, lambda shown: _cases(viewer, criteria, shown))


async def _documents(criteria: dict[str, Any], columns: list[Column]) -> AsyncIterator[Row]:
    names: dict[str, str] = {}
    async for batch in batches(StoredDocument, criteria):
        await region_names({document.region_code for document in batch}, names)
        for document in batch:
            cells = {
                "id": global_id("Document", document.id),
                "region_code": document.region_code,
                "region": names.get(document.region_code, ""),
                "category": document.category.name,
                "file_name": document.file_name,
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
                "state": document.state.name,
                "version": document.version,
                "uploaded_at": document.uploaded_at or document.created_at,
                "created_at": document.created_at,
            }
            yield select(columns, cells)


async def documents_export(viewer: Principal, wanted: DocumentFilter) -> Export:
    """The documents `documents(filter:)` lists, metadata only; the filter is checked before the first row."""
    criteria = await document_criteria(wanted, viewer)
    return export_of("documents", DOCUMENT_COLUMNS, viewer.scope, lambda shown: _documents(criteria, shown))


async def completeness_export(scope: Scope, root: str, period_keys: list[str]) -> Export:
    requirements, rows = await matrix(scope, root, period_keys)
    columns = [str(requirement.id) for requirement in requirements]
    header = ["region_code", "region", "level", *[f"{r.period_key} {r.title}" for r in requirements]]

    async def produce() -> AsyncIterator[Row]:
        for row in rows:
            states = {cell.requirement_id: cell.state.name for cell in row.cells}
            yield [
                row.region.id,
                row.region.name,
                row.region.level.name,
                *[states.get(c, "") for c in columns],
            ]

    return Export("completeness", header, produce())
