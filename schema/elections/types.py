from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any, TypeAlias

import strawberry
from strawberry import relay

from hub.elections.errors import ElectionErrorCode as ElectionErrorCodeModel
from hub.elections.models import Election as ElectionModel
from hub.elections.models import ElectionKind as ElectionKindModel
from hub.elections.models import Stage as StageModel
from hub.elections.services import get_elections
from schema.access.actors import ACTOR_DESCRIPTION, actor
from schema.access.types import User
from schema.context import Info
from schema.describe import ERROR_CODE, ERROR_FIELD, ERROR_MESSAGE, enum_type, error_codes
from schema.fields import field
from schema.regions.types import Region

enum_type(
    ElectionKindModel,
    name="ElectionKind",
    description="Which kind of election.",
    values={
        "PEMILU": "A general election (Pemilu): president and legislatures; the whole country takes part.",
        "PILKADA": "A regional head election (Pilkada): governors, regents and mayors of the participating "
        "regions.",
    },
)
error_codes(
    ElectionErrorCodeModel,
    name="ElectionErrorCode",
    noun="election",
    values={
        "ELECTION_NOT_FOUND": "No election has this id.",
        "INVALID_ELECTION": "The election's name, year or regions are not acceptable (`field` says which).",
        "INVALID_DATES": "A stage ends before it starts, or its logistics deadline is after its end.",
        "DUPLICATE_STAGE": "Two stages have the same code.",
        "DUPLICATE_ELECTION": "An election of this kind, year and name exists already.",
    },
)
ElectionKind: TypeAlias = ElectionKindModel
ElectionErrorCode: TypeAlias = ElectionErrorCodeModel


@strawberry.type(description="Why an election mutation did nothing.")
class ElectionError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: ElectionErrorCode = strawberry.field(description=ERROR_CODE)


@strawberry.type(description="One stage (tahapan) of an election's calendar.")
class ElectionStage:
    code: str = strawberry.field(
        description="A slug, unique within the election, such as `distribusi-logistik`."
    )
    name: str = strawberry.field(description='Its name, such as "Distribusi logistik".')
    starts_on: date = strawberry.field(description="Its first day.")
    ends_on: date = strawberry.field(description="Its last day.")
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


@strawberry.type(
    description="A Pemilu or Pilkada, its participating regions and its stage (tahapan) calendar. Reference "
    "data: every signed-in viewer may read elections."
)
class Election(relay.Node):
    election_id: relay.NodeID[str]
    kind: ElectionKind = strawberry.field(description="General or regional.")
    name: str = strawberry.field(description='Such as "Pilkada Serentak 2026".')
    year: int = strawberry.field(description="The election's year.")
    region_codes: list[str] = strawberry.field(
        description="Roots of the participating region subtrees; `ID` (the whole country) for a Pemilu."
    )
    stages: list[ElectionStage] = strawberry.field(description="The calendar, ordered by start date.")
    creator: strawberry.Private[str]
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    version: int = strawberry.field(description="Grows with every change.")

    @classmethod
    def from_model(cls, election: ElectionModel) -> Election:
        return cls(
            election_id=str(election.id),
            kind=election.kind,
            name=election.name,
            year=election.year,
            region_codes=election.region_roots,
            stages=[ElectionStage.from_model(stage) for stage in election.stages],
            creator=election.created_by,
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

    @field(description=f"Who created it; {ACTOR_DESCRIPTION}")
    def created_by(self, info: Info) -> User | None:
        return actor(info, self.creator)  # type: ignore[return-value]  # or an awaitable of it

    @field(description="The roots of the participating region subtrees.")
    async def regions(self, info: Info) -> list[Region]:
        found = await info.context.loaders.region.load_many(self.region_codes)
        return [Region.from_model(region) for region in found if region is not None]

    @field(description="One stage by its code; null when there is none.")
    def stage(
        self, code: Annotated[str, strawberry.argument(description="The stage's code (case-insensitive).")]
    ) -> ElectionStage | None:
        return next((stage for stage in self.stages if stage.code == code.strip().lower()), None)


@strawberry.type(description="A page of elections.")
class ElectionConnection(relay.Connection[Election]):
    total_count: int = strawberry.field(description="How many elections there are, over all pages.")

    @field(description="The elections of this page, without edges.")
    def nodes(self) -> list[Election]:
        return [edge.node for edge in self.edges]
