"""The GraphQL view of an incident's corrections by its author before review (hub.reports.corrections)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import strawberry

from hub.reports.models import IncidentCorrection as IncidentCorrectionModel
from schema.access.actors import ACTOR_DESCRIPTION, actor
from schema.access.types import User
from schema.audit.types import AuditValueChange
from schema.context import Info
from schema.fields import field


@strawberry.type(
    description="One change its author made to a filed incident before review: a correction "
    "(incidentUpdate) or attachments added (incidentAttachmentAdd)."
)
class IncidentCorrection:
    at: datetime = strawberry.field(description="When it was made.")
    fields: list[str] = strawberry.field(
        description="What changed, as stored: `title`, `narratives.chronology`, `incident.occurred_at`, "
        "`incident.people.injured`, `attachments`, …"
    )
    changes: list[AuditValueChange] = strawberry.field(
        description="Each changed field's value before and after, as JSON text, in the order of `fields`."
    )
    actor_text: strawberry.Private[str]

    @classmethod
    def of(cls, entry: IncidentCorrectionModel) -> IncidentCorrection:
        return cls(
            at=entry.at,
            fields=list(entry.fields),
            changes=[
                AuditValueChange(
                    field=name, before=_json(entry.before.get(name)), after=_json(entry.after.get(name))
                )
                for name in entry.fields
            ],
            actor_text=entry.actor,
        )

    @field(description=f"Who made it; {ACTOR_DESCRIPTION}")
    def actor(self, info: Info) -> User | None:
        return actor(info, self.actor_text)  # type: ignore[return-value]  # or an awaitable of it


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)
