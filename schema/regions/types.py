from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.regions.models import Region as RegionModel
from hub.regions.models import RegionLevel as RegionLevelModel
from schema.context import Info
from schema.describe import enum_type
from schema.fields import field
from schema.prefetch import cached, preset

enum_type(
    RegionLevelModel,
    name="RegionLevel",
    description="Tier of government.",
    values={
        "NATIONAL": "The nation (code `ID`), where the central ministry (Kemendagri) works.",
        "PROVINCE": "A province (provinsi), such as `31` DKI Jakarta.",
        "REGENCY": "A regency (kabupaten), such as `32.01` Kabupaten Bogor.",
        "CITY": "A city (kota), such as `31.74` Kota Jakarta Selatan; the same tier as a regency.",
    },
)
RegionLevel: TypeAlias = RegionLevelModel


@strawberry.type(
    description="An administrative region: the nation, a province (provinsi), a regency (kabupaten) or a "
    "city (kota). Regions are reference data: every signed-in viewer and partner sees all of them. "
    "Arguments name a region by its official code (the RegionCode scalar)."
)
class Region(relay.Node):
    code: relay.NodeID[str] = strawberry.field(description="Official Kemendagri code, such as `31.71`.")
    name: str = strawberry.field(description="Official name, such as `Kota Jakarta Selatan`.")
    level: RegionLevel = strawberry.field(description="Its tier of government.")
    island: bool = strawberry.field(
        description="Island region (daerah kepulauan): election logistics are due a week earlier."
    )
    parent_code: strawberry.Private[str | None]
    ancestor_codes: strawberry.Private[list[str]]

    @field(name="code", description="Official Kemendagri code, such as `31.71`.", metadata=preset())
    def official_code(self) -> str:
        return self.code

    @classmethod
    def from_model(cls, region: RegionModel) -> Region:
        return cls(
            code=region.id,
            name=region.name,
            level=region.level,
            island=region.island,
            parent_code=region.parent_code,
            ancestor_codes=region.ancestors,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await info.context.loaders.region.load_many(list(node_ids))
        return [cls.from_model(region) if region else None for region in found]

    @field(description="The region directly above; null for the nation.", metadata=preset())
    def parent(self, info: Info) -> Region | None:
        if self.parent_code is None:
            return None
        return cached(info.context.loaders.region, self.parent_code, _optional_region)  # type: ignore[return-value]

    @field(description="The regions directly below, ordered by code.")
    async def children(self, info: Info) -> list[Region]:
        found = await info.context.loaders.region_children.load(self.code)
        return [Region.from_model(region) for region in found]

    @field(description="Whether the viewer may add supporting documents to this region.")
    def viewer_can_upload_documents(self, info: Info) -> bool:
        return info.context.principal.can_upload_to([*self.ancestor_codes, self.code])

    @field(description="Every region above this one, the nation first.")
    async def ancestors(self, info: Info) -> list[Region]:
        found = await info.context.loaders.region.load_many(self.ancestor_codes)
        return [Region.from_model(region) for region in found if region is not None]


@strawberry.type(description="A page of regions.")
class RegionConnection(relay.Connection[Region]):
    total_count: int = strawberry.field(description="How many regions match, over all pages.")

    @field(description="The regions of this page, without edges.")
    def nodes(self) -> list[Region]:
        return [edge.node for edge in self.edges]


def _optional_region(region: RegionModel | None) -> Region | None:
    return Region.from_model(region) if region else None
