from __future__ import annotations

from datetime import date

import strawberry

from hub.elections.errors import ElectionError as DomainElectionError
from hub.elections.models import Stage
from schema.elections.types import ElectionError
from schema.mutations import MutationErrors


@strawberry.input(description="One stage (tahapan) of an election's calendar.")
class ElectionStageInput:
    code: str = strawberry.field(
        description="A slug, unique within the election: lowercase letters and digits joined by '-' or '_'."
    )
    name: str = strawberry.field(description='Such as "Distribusi logistik".')
    starts_on: date = strawberry.field(description="Its first day.")
    ends_on: date = strawberry.field(description="Its last day: on or after `startsOn`.")
    logistics_deadline: date | None = strawberry.field(
        default=None,
        description="Logistics must be delivered by then (island regions: a week earlier); "
        "not after `endsOn`.",
    )

    def to_domain(self) -> Stage:
        return Stage(
            code=self.code,
            name=self.name,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            logistics_deadline=self.logistics_deadline,
        )


ELECTION_ERRORS = MutationErrors(DomainElectionError, ElectionError)
election_errors = ELECTION_ERRORS.typed
