from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from beanie import Document
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from hub.core.clock import utcnow


class EventKind(StrEnum):
    INCIDENT_CREATED = "incident.created"
    REPORT_STATUS_CHANGED = "report.status_changed"
    CASE_UPDATED = "case.updated"
    EARLY_WARNING = "early_warning.raised"
    # Staff only: no rule in hub.access.visibility, so no partner grant is ever told of it.
    COMMENT_MENTIONED = "comment.mentioned"


class Event(Document):
    """One thing that happened. `region_path` scopes it like the record it is about; `report_type` lets
    partner grants limited to some report types filter it. Kept (the outbox) so webhooks miss none."""

    kind: EventKind
    target_type: str  # "Report", "Case", "Region"
    target_id: str
    region_code: str
    region_path: list[str]
    report_type: str | None = None
    actor: str
    at: datetime = Field(default_factory=utcnow)
    data: dict[str, Any] = Field(default_factory=dict, description="small, JSON-able summary; no narratives")
    webhooks_done: bool = False
    # Written False on every new event; the notification fan-out sets it (hub.notifications.fanout), and its
    # sweep looks for False (events from before it have no such field and are never notified).
    notifications_done: bool = False

    class Settings:
        name = "events"
        indexes = [
            IndexModel([("at", ASCENDING)]),
            IndexModel([("webhooks_done", ASCENDING), ("at", ASCENDING)]),
            IndexModel([("notifications_done", ASCENDING), ("at", ASCENDING)]),
            IndexModel([("region_path", ASCENDING), ("at", ASCENDING)]),
        ]

    def public(self) -> dict[str, Any]:
        """The event as sinks send it on (subscriptions, webhooks)."""
        return {
            "id": str(self.id),
            "kind": self.kind.value,
            "targetType": self.target_type,
            "targetId": self.target_id,
            "regionCode": self.region_code,
            "regionPath": self.region_path,
            "reportType": self.report_type,
            "actor": self.actor,
            "at": self.at.isoformat(),
            "data": self.data,
        }
