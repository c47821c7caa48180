from __future__ import annotations

from typing import Annotated

import strawberry

from hub.elections.errors import ElectionError as DomainElectionError
from hub.elections.services import create_election
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID, CLIENT_MUTATION_ID_ECHO, ERRORS
from schema.elections.mutations.common import ElectionStageInput, election_errors
from schema.elections.types import Election, ElectionError, ElectionKind
from schema.regions.code import RegionCode


@strawberry.input(description="A new election and its stage calendar.")
class ElectionCreateInput:
    kind: ElectionKind = strawberry.field(description="General or regional.")
    name: str = strawberry.field(description='Such as "Pilkada Serentak 2026"; unique per kind and year.')
    year: int = strawberry.field(description="The election's year.")
    region_codes: list[RegionCode] | None = strawberry.field(
        default=None,
        description="Roots of the participating region subtrees. A Pemilu is national (`ID`, the default).",
    )
    stages: list[ElectionStageInput] = strawberry.field(
        default_factory=list, description="The stage calendar; more can be added with electionStageUpsert."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type(description="What `electionCreate` answers.")
class ElectionCreatePayload:
    election: Election | None = strawberry.field(description="The election; null when refused.")
    created: bool = strawberry.field(description="False when this is a retry of an earlier creation.")
    errors: list[ElectionError] = strawberry.field(description=ERRORS)
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID_ECHO)


async def election_create(
    info: Info,
    input: Annotated[ElectionCreateInput, strawberry.argument(description="The election to create.")],
) -> ElectionCreatePayload:
    """Create an election with its participating regions and stages (admins and reviewers)."""
    actor = info.context.principal.actor
    try:
        election, created = await create_election(
            actor=actor,
            kind=input.kind,
            name=input.name,
            year=input.year,
            region_codes=input.region_codes or [],
            stages=[stage.to_domain() for stage in input.stages],
            client_mutation_id=input.client_mutation_id,
        )
    except DomainElectionError as error:
        return ElectionCreatePayload(
            election=None,
            created=False,
            errors=election_errors(error),
            client_mutation_id=input.client_mutation_id,
        )
    return ElectionCreatePayload(
        election=Election.from_model(election),
        created=created,
        errors=[],
        client_mutation_id=input.client_mutation_id,
    )
