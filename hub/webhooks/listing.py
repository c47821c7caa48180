"""The delivery log, newest first, by grant and status (admins)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from beanie import PydanticObjectId, SortDirection

from hub.webhooks.models import DeliveryStatus, WebhookDelivery


@dataclass(frozen=True)
class DeliveryPosition:
    created_at: datetime
    id: PydanticObjectId


@dataclass(frozen=True)
class DeliveryPage:
    items: list[WebhookDelivery]
    total_count: int
    has_next_page: bool


async def list_deliveries(
    *,
    grant_id: PydanticObjectId | None,
    status: DeliveryStatus | None,
    after: DeliveryPosition | None,
    first: int,
) -> DeliveryPage:
    criteria: dict[str, Any] = {}
    if grant_id is not None:
        criteria["grant_id"] = grant_id
    if status is not None:
        criteria["status"] = status.value
    total = await WebhookDelivery.find(criteria).count()
    page = criteria
    if after is not None:
        beyond = {
            "$or": [
                {"created_at": {"$lt": after.created_at}},
                {"created_at": after.created_at, "_id": {"$lt": after.id}},
            ]
        }
        page = {"$and": [criteria, beyond]} if criteria else beyond
    items = (
        await WebhookDelivery.find(page)
        .sort([("created_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)])
        .limit(first + 1)
        .to_list()
    )
    return DeliveryPage(items=items[:first], total_count=total, has_next_page=len(items) > first)
