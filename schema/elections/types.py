from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.elections.errors import ElectionErrorCode as ElectionErrorCodeModel
from hub.elections.models import Election as ElectionModel
from hub.elections.models import ElectionKind as ElectionKindModel
from hub.elections.models import Stage as StageModel
from hub.elections.services import get_elections
from schema.context import Info
from schema.fields import field
from schema.regions.types import Region

strawberry.enum(
    ElectionKindModel, name="ElectionKind", description="PEMILU: national elections; PILKADA: regional heads."
)
strawberry.enum(ElectionErrorCodeModel, name="ElectionErrorCode")
ElectionKind: TypeAlias = ElectionKindModel
ElectionErrorCode: TypeAlias = ElectionErrorCodeModel


@strawberry.type(description="Why an election mutation did nothing.")
class ElectionError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str
    code: ElectionErrorCode


@strawberry.type(description="One stage (tahapan) of an election's calendar.")
class ElectionStage:
    code: str = strawberry.field(
        description="A slug, unique within the election, such as `distribusi-logistik`."
    )
    name: str
    starts_on: date
    ends_on: date
    logistics_deadline: date | None = strawberry.field(
        description="Logistics must be delivered by then; island regions a week earlier."
    )

    @classmethod
    def from_model(cls, stage: StageModel) -> ElectionStage:
        return cls(
            code=stage.code,
            name=stage.name,
            starts_on=stage.starts_on,
            ends_on=stage.ends_on,
            logistics_deadline=stage.logistics_deadline,
        )


@strawberry.type(description="A Pemilu or Pilkada, its participating regions and its stage calendar.")
class Election(relay.Node):
    election_id: relay.NodeID[str]
    kind: ElectionKind
    name: str
    year: int
    region_codes: list[str] = strawberry.field(
        description="Roots of the participating region subtrees; `ID` (the whole country) for a Pemilu."
    )
    stages: list[ElectionStage] = strawberry.field(description="The calendar, ordered by start date.")
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def from_model(cls, election: ElectionModel) -> Election:
        return cls(
            election_id=str(election.id),
            kind=election.kind,
            name=election.name,
            year=election.year,
            region_codes=election.region_roots,
            stages=[ElectionStage.from_model(stage) for stage in election.stages],
            created_by=election.created_by,
            created_at=election.created_at,
            updated_at=election.updated_at,
            version=election.version,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        # Elections are reference data: every signed-in viewer may read them.
        wanted = list(node_ids)
        found = await get_elections(wanted)
        return [cls.from_model(found[value]) if value in found else None for value in wanted]

    @field(description="The roots of the participating region subtrees.")
    async def regions(self, info: Info) -> list[Region]:
        found = await info.context.loaders.region.load_many(self.region_codes)
        return [Region.from_model(region) for region in found if region is not None]

    @field(description="One stage by its code; null when there is none.")
    def stage(self, code: str) -> ElectionStage | None:
        return next((stage for stage in self.stages if stage.code == code.strip().lower()), None)


@strawberry.type(description="A page of elections.")
class ElectionConnection(relay.Connection[Election]):
    total_count: int = strawberry.field(description="How many elections there are, over all pages.")

    @field(description="The elections of this page, without edges.")
    def nodes(self) -> list[Election]:
        return [edge.node for edge in self.edges]
