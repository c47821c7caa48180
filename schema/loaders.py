"""DataLoaders, created fresh for every request so nothing leaks between requests or viewers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from beanie import PydanticObjectId
from bson.errors import InvalidId
from strawberry.dataloader import DataLoader

from hub.access.models import User
from hub.access.scope import Scope, scope_to_mongo
from hub.cases.models import Case
from hub.documents.models import StoredDocument
from hub.regions.models import Region
from hub.regions.services import children_of, get_regions
from hub.reports.models import Report
from schema.reports.loaders import ReportLoaders


async def _regions(codes: list[str]) -> list[Region | None]:
    found = await get_regions(codes)
    return [found.get(code) for code in codes]


async def _children(parents: list[str]) -> list[list[Region]]:
    grouped = await children_of(parents)
    return [grouped.get(code, []) for code in parents]


def _object_id(value: str) -> PydanticObjectId | None:
    try:
        return PydanticObjectId(value)
    except (InvalidId, TypeError, ValueError):
        return None


def _scoped_documents(scope: Scope) -> Callable[[list[str]], Awaitable[list[StoredDocument | None]]]:
    """Documents outside the scope load as None: to the viewer they do not exist."""

    async def load(ids: list[str]) -> list[StoredDocument | None]:
        wanted = [oid for oid in (_object_id(value) for value in ids) if oid is not None]
        criteria = {"$and": [{"_id": {"$in": wanted}}, scope_to_mongo(scope)]}
        found = await StoredDocument.find(criteria).to_list()
        by_id = {str(document.id): document for document in found}
        return [by_id.get(value) for value in ids]

    return load


def _scoped_reports(scope: Scope) -> Callable[[list[str]], Awaitable[list[Report | None]]]:
    async def load(ids: list[str]) -> list[Report | None]:
        wanted = [oid for oid in (_object_id(value) for value in ids) if oid is not None]
        criteria = {"$and": [{"_id": {"$in": wanted}}, scope_to_mongo(scope, report_type_field="type")]}
        found = await Report.find(criteria).to_list()
        by_id = {str(report.id): report for report in found}
        return [by_id.get(value) for value in ids]

    return load


def _scoped_cases(scope: Scope) -> Callable[[list[str]], Awaitable[list[Case | None]]]:
    """Cases outside the scope load as None: to the viewer they do not exist."""

    async def load(ids: list[str]) -> list[Case | None]:
        wanted = [oid for oid in (_object_id(value) for value in ids) if oid is not None]
        found = await Case.find({"$and": [{"_id": {"$in": wanted}}, scope_to_mongo(scope)]}).to_list()
        by_id = {str(case.id): case for case in found}
        return [by_id.get(value) for value in ids]

    return load


async def _users(ids: list[str]) -> list[User | None]:
    """Users by id, NOT scoped: only for a field of an object the viewer may already see (a case's assignee).
    Node lookups of users go through schema.access.queries.visible_users."""
    wanted = [oid for oid in (_object_id(value) for value in ids) if oid is not None]
    found = await User.find({"_id": {"$in": wanted}}).to_list()
    by_id = {str(user.id): user for user in found}
    return [by_id.get(value) for value in ids]


class Loaders:
    def __init__(self, scope: Scope) -> None:
        self.region: DataLoader[str, Region | None] = DataLoader(load_fn=_regions)
        self.region_children: DataLoader[str, list[Region]] = DataLoader(load_fn=_children)
        self.document: DataLoader[str, StoredDocument | None] = DataLoader(load_fn=_scoped_documents(scope))
        self.report: DataLoader[str, Report | None] = DataLoader(load_fn=_scoped_reports(scope))
        self.case: DataLoader[str, Case | None] = DataLoader(load_fn=_scoped_cases(scope))
        self.user: DataLoader[str, User | None] = DataLoader(load_fn=_users)
        self.reports = ReportLoaders()
