"""DataLoaders, created fresh for every request so nothing leaks between requests or viewers."""

from __future__ import annotations

from dataclasses import dataclass, field

from beanie import PydanticObjectId
from bson.errors import InvalidId
from strawberry.dataloader import DataLoader

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


async def _documents(ids: list[str]) -> list[StoredDocument | None]:
    wanted = [oid for oid in (_object_id(value) for value in ids) if oid is not None]
    found = await StoredDocument.find({"_id": {"$in": wanted}}).to_list()
    by_id = {str(document.id): document for document in found}
    return [by_id.get(value) for value in ids]


@dataclass
class Loaders:
    region: DataLoader[str, Region | None] = field(default_factory=lambda: DataLoader(load_fn=_regions))
    region_children: DataLoader[str, list[Region]] = field(
        default_factory=lambda: DataLoader(load_fn=_children)
    )
    document: DataLoader[str, StoredDocument | None] = field(
        default_factory=lambda: DataLoader(load_fn=_documents)
    )
