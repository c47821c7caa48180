"""Return reasons as work items (hub.reports.return_reasons): their state and its changes."""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias

import strawberry

from hub.reports.models import ReasonState as ReasonStateModel
from hub.reports.models import ReasonStep as ReasonStepModel
from hub.reports.models import ReturnReason as ReturnReasonModel
from schema.access.actors import ACTOR_DESCRIPTION, actor
from schema.access.types import User
from schema.context import Info
from schema.describe import enum_type
from schema.fields import field

enum_type(
    ReasonStateModel,
    name="ReturnReasonState",
    description="Where a return reason stands: OPEN → ADDRESSED (the author) → RESOLVED (the reviewer), or "
    "OPEN again when the reviewer reopens it.",
    values={
        "OPEN": "Not yet answered (or reopened by the reviewer).",
        "ADDRESSED": "The author says it is dealt with (`reportReturnReasonAddress`).",
        "RESOLVED": "The reviewer accepted the answer (`reportReturnReasonResolve`).",
    },
)
ReturnReasonState: TypeAlias = ReasonStateModel


@strawberry.type(description="One change of a return reason's state.")
class ReturnReasonStep:
    state: ReturnReasonState = strawberry.field(description="The state it moved to.")
    at: datetime = strawberry.field(description="When.")
    note: str | None = strawberry.field(description="The note given with it, if any.")
    actor_text: strawberry.Private[str]

    @classmethod
    def of(cls, step: ReasonStepModel) -> ReturnReasonStep:
        return cls(state=step.state, at=step.at, note=step.note, actor_text=step.actor)

    @field(description=f"Who changed it; {ACTOR_DESCRIPTION}")
    def actor(self, info: Info) -> User | None:
        return actor(info, self.actor_text)  # type: ignore[return-value]  # or an awaitable of it


@strawberry.type(
    description="Why a report was returned: one section or indicator, or the report as a whole; and where "
    "the answer to it stands."
)
class ReturnReason:
    key: str = strawberry.field(
        description="Names the reason in `reportReturnReasonAddress`/`Resolve`: `<review>.<reason>`, its "
        "return's place in `Report.reviews` and its place in that return (from 0)."
    )
    revision: int = strawberry.field(description="The revision (`Report.revision`) it was given on.")
    target: str = strawberry.field(description="A section or indicator code, or `general`.")
    message: str = strawberry.field(description="What the author must change.")
    state: ReturnReasonState = strawberry.field(description="Where it stands.")
    steps: list[ReturnReasonStep] = strawberry.field(description="Its state changes, oldest first.")

    @classmethod
    def of(cls, reason: ReturnReasonModel, review: int, index: int, revision: int) -> ReturnReason:
        return cls(
            key=f"{review}.{index}",
            revision=revision,
            target=reason.target,
            message=reason.message,
            state=reason.state,
            steps=[ReturnReasonStep.of(step) for step in reason.steps],
        )
