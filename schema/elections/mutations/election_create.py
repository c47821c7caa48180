from __future__ import annotations

import strawberry

from hub.elections.errors import ElectionError as DomainElectionError
from hub.elections.services import create_election
from schema.context import Info
from schema.elections.mutations.common import ElectionStageInput, election_errors
from schema.elections.types import Election, ElectionError, ElectionKind


@strawberry.input(description="A new election and its stage calendar.")
class ElectionCreateInput:
    kind: ElectionKind
    name: str = strawberry.field(description='Such as "Pilkada Serentak 2026"; unique per kind and year.')
    year: int
    region_codes: list[str] | None = strawberry.field(
        default=None,
        description="Roots of the participating region subtrees. A Pemilu is national (`ID`, the default).",
    )
    stages: list[ElectionStageInput] = strawberry.field(default_factory=list)
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Set by the client; a retry with the same value returns the first result."
    )


@strawberry.type
class ElectionCreatePayload:
    election: Election | None
    created: bool = strawberry.field(description="False when this is a retry of an earlier creation.")
    errors: list[ElectionError]
    client_mutation_id: str | None


async def election_create(info: Info, input: ElectionCreateInput) -> ElectionCreatePayload:
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
