"""The delivery log, newest first, by grant and status (admins), and deliveries by id with their grants."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from beanie import PydanticObjectId, SortDirection

from hub.access.models import PartnerGrant
from hub.core.ids import object_ids
from hub.core.paging import Keyset, Page, Position
from hub.webhooks.models import DeliveryStatus, WebhookDelivery

DELIVERIES_NEWEST = Keyset(
    "webhook-deliveries", (("created_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING))
)


async def list_deliveries(
    *,
    grant_id: PydanticObjectId | None,
    status: DeliveryStatus | None,
    after: Position | None,
    first: int,
) -> Page[WebhookDelivery]:
    criteria: dict[str, Any] = {}
    if grant_id is not None:
        criteria["grant_id"] = grant_id
    if status is not None:
        criteria["status"] = status.value
    return await DELIVERIES_NEWEST.page(WebhookDelivery, criteria, after, first)


async def deliveries_by_id(ids: Sequence[str]) -> list[WebhookDelivery]:
    """The deliveries with these ids, in one query; malformed and unknown ids are left out."""
    return await WebhookDelivery.find({"_id": {"$in": object_ids(ids)}}).to_list()


async def grants_of(deliveries: Sequence[WebhookDelivery]) -> dict[PydanticObjectId, PartnerGrant]:
    """The grants the deliveries are for, in one query (a deleted grant is missing)."""
    ids = list({delivery.grant_id for delivery in deliveries})
    return {grant.id: grant for grant in await PartnerGrant.find({"_id": {"$in": ids}}).to_list() if grant.id}
