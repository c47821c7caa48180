from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.elections.errors import ElectionError as DomainElectionError
from hub.elections.errors import ElectionErrorCode
from hub.elections.services import upsert_stage
from schema.context import Info
from schema.describe import ERRORS
from schema.elections.mutations.common import (
    ELECTION_ERRORS,
    ElectionStageInput,
    election_errors,
)
from schema.elections.types import Election, ElectionError, ElectionStage


@strawberry.type(description="What `electionStageUpsert` answers.")
class ElectionStageUpsertPayload:
    election: Election | None = strawberry.field(description="The election as it is now.")
    stage: ElectionStage | None = strawberry.field(description="The stage as stored.")
    created: bool = strawberry.field(description="True when the stage was added, false when it was replaced.")
    errors: list[ElectionError] = strawberry.field(description=ERRORS)


async def election_stage_upsert(
    info: Info,
    id: Annotated[relay.GlobalID, strawberry.argument(description="The election's id.")],
    input: Annotated[ElectionStageInput, strawberry.argument(description="The stage, by its code.")],
) -> ElectionStageUpsertPayload:
    """Add a stage to an election's calendar, or replace the stage with its code (admins, reviewers)."""
    try:
        election_id = ELECTION_ERRORS.raw_id(id, "Election", ElectionErrorCode.ELECTION_NOT_FOUND)
        result = await upsert_stage(election_id, input.to_domain(), actor=info.context.principal.actor)
    except DomainElectionError as error:
        return ElectionStageUpsertPayload(
            election=None, stage=None, created=False, errors=election_errors(error)
        )
    return ElectionStageUpsertPayload(
        election=Election.from_model(result.election),
        stage=ElectionStage.from_model(result.stage),
        created=result.replaced is None,
        errors=[],
    )
