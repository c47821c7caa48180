from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its first attempt or a retry (`next_attempt_at`)
    SUCCEEDED = "succeeded"  # the partner answered 2xx
    FAILED = "failed"  # refused (4xx other than 408/429), attempts used up, or the grant ended


class DeliveryAttempt(BaseModel):
    """One POST of a delivery: what came back, or why nothing did."""

    at: datetime
    url: str
    status_code: int | None = None
    error: str | None = None
    duration_ms: int
    manual: bool = Field(default=False, description="a redelivery an admin asked for")
    response_excerpt: str | None = None


class WebhookDelivery(Audited, Document):
    """One event for one grant. The body is fixed when the delivery is made; each attempt signs it anew."""

    key: str = Field(
        description='"<grant id>:<event id>": an event reaches a grant once, however often drained'
    )
    grant_id: PydanticObjectId
    event_id: PydanticObjectId
    event_kind: str
    body: str
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: list[DeliveryAttempt] = Field(default_factory=list, description="the latest ones, oldest first")
    attempt_count: int = Field(default=0, description="automatic attempts made, against the retry budget")
    next_attempt_at: datetime | None = None
    lease_until: datetime | None = Field(default=None, description="an attempt is under way until then")
    delivered_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "webhook_deliveries"
        indexes = [
            IndexModel([("key", ASCENDING)], unique=True, name="one_delivery_per_grant_event"),
            IndexModel([("status", ASCENDING), ("next_attempt_at", ASCENDING)]),
            IndexModel([("grant_id", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)]),
            IndexModel([("created_at", DESCENDING), ("_id", DESCENDING)]),
        ]
