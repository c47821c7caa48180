"""DataLoaders, created fresh for every request so nothing leaks between requests or viewers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from beanie import Document
from pydantic import BaseModel
from strawberry.dataloader import DataLoader

from hub.access.models import User
from hub.access.scope import Scope, scope_to_mongo
from hub.cases.models import Case
from hub.completeness.models import Requirement
from hub.core.ids import object_id
from hub.documents.access import readable_criteria
from hub.documents.models import StoredDocument, StoredDocumentSummary
from hub.documents.shares import DocumentShare, shares_by_document
from hub.regions.models import Region
from hub.regions.services import children_of, regions_from_tree
from hub.reports.extensions import DeadlineExtension
from hub.reports.listing import ReportSummary
from hub.reports.models import Report
from schema.reports.loaders import ReportLoaders


async def _regions(codes: list[str]) -> list[Region | None]:
    found = await regions_from_tree(codes)
    return [found.get(code) for code in codes]


async def _children(parents: list[str]) -> list[list[Region]]:
    grouped = await children_of(parents)
    return [grouped.get(code, []) for code in parents]


D = TypeVar("D", bound=Document)
S = TypeVar("S", bound=BaseModel)


def _criteria(ids: list[str], extra: dict[str, Any] | None) -> dict[str, Any]:
    wanted = [oid for oid in (object_id(value) for value in ids) if oid is not None]
    criteria: dict[str, Any] = {"_id": {"$in": wanted}}
    return {"$and": [criteria, extra]} if extra else criteria


def _by_ids(
    model: type[D], extra: dict[str, Any] | None = None
) -> Callable[[list[str]], Awaitable[list[D | None]]]:
    """Records by id in one query; with `extra` (a scope filter), those outside it load as None: to the
    viewer they do not exist."""

    async def load(ids: list[str]) -> list[D | None]:
        found = await model.find(_criteria(ids, extra)).to_list()
        by_id = {str(record.id): record for record in found}
        return [by_id.get(value) for value in ids]

    return load


def _summaries_by_ids(
    model: type[Document], summary: type[S], extra: dict[str, Any] | None = None
) -> Callable[[list[str]], Awaitable[list[S | None]]]:
    """As _by_ids, each record read as `summary` (a projection of some of its fields)."""

    async def load(ids: list[str]) -> list[S | None]:
        found = await model.find(_criteria(ids, extra)).project(summary).to_list()
        by_id = {str(getattr(record, "id", None)): record for record in found}
        return [by_id.get(value) for value in ids]

    return load


class Loaders:
    def __init__(self, scope: Scope) -> None:
        self.region: DataLoader[str, Region | None] = DataLoader(load_fn=_regions)
        self.region_children: DataLoader[str, list[Region]] = DataLoader(load_fn=_children)
        # Documents in the trash load as None: to every viewer they are gone (the trash has its own listing).
        self.document: DataLoader[str, StoredDocument | None] = DataLoader(
            load_fn=_by_ids(StoredDocument, {**readable_criteria(scope), "deleted_at": None})
        )
        self.report: DataLoader[str, Report | None] = DataLoader(
            load_fn=_by_ids(Report, scope_to_mongo(scope, report_type_field="type"))
        )
        # Search hits: records without their text (a report's narratives and history, a document's
        # extracted text), which a hit does not show; a field that needs it loads the whole record.
        self.report_summary: DataLoader[str, ReportSummary | None] = DataLoader(
            load_fn=_summaries_by_ids(Report, ReportSummary, scope_to_mongo(scope, report_type_field="type"))
        )
        self.document_summary: DataLoader[str, StoredDocumentSummary | None] = DataLoader(
            load_fn=_summaries_by_ids(
                StoredDocument, StoredDocumentSummary, {**readable_criteria(scope), "deleted_at": None}
            )
        )
        self.case: DataLoader[str, Case | None] = DataLoader(load_fn=_by_ids(Case, scope_to_mongo(scope)))
        # Not scoped: only for a field of an object the viewer may already see (a case's assignee);
        # node lookups of users go through schema.access.queries.visible_users.
        self.user: DataLoader[str, User | None] = DataLoader(load_fn=_by_ids(User))
        self.requirement: DataLoader[str, Requirement | None] = DataLoader(load_fn=_by_ids(Requirement))
        self.deadline_extension: DataLoader[str, DeadlineExtension | None] = DataLoader(
            load_fn=_by_ids(DeadlineExtension, scope_to_mongo(scope))
        )
        # Not scoped: only for the shares of a document the viewer already sees, filtered by who made them.
        self.document_shares: DataLoader[str, list[DocumentShare]] = DataLoader(load_fn=shares_by_document)
        self.reports = ReportLoaders()
