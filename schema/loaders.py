"""DataLoaders, created fresh for every request so nothing leaks between requests or viewers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from beanie import PydanticObjectId
from bson.errors import InvalidId
from strawberry.dataloader import DataLoader

from hub.access.scope import Scope, scope_to_mongo
from hub.documents.models import StoredDocument
from hub.regions.models import Region
from hub.regions.services import children_of, get_regions


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


class Loaders:
    def __init__(self, scope: Scope) -> None:
        self.region: DataLoader[str, Region | None] = DataLoader(load_fn=_regions)
        self.region_children: DataLoader[str, list[Region]] = DataLoader(load_fn=_children)
        self.document: DataLoader[str, StoredDocument | None] = DataLoader(load_fn=_scoped_documents(scope))
