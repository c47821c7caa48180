from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from hub.access.models import PartnerGrant as PartnerGrantModel
from hub.core.ids import object_id
from hub.webhooks.errors import WebhookError, WebhookErrorCode
from hub.webhooks.listing import DeliveryPosition, list_deliveries
from hub.webhooks.models import WebhookDelivery as WebhookDeliveryModel
from schema.context import Info
from schema.fields import field
from schema.pagination import PaginationError, decode_cursor, encode_cursor, page_size
from schema.permissions import IsAdmin
from schema.webhooks.types import WebhookDelivery, WebhookDeliveryConnection, WebhookDeliveryStatus

CURSOR_KIND = "webhook_delivery"


async def with_grants(deliveries: list[WebhookDeliveryModel]) -> list[WebhookDelivery]:
    """The GraphQL objects, their grants loaded in one query."""
    ids = list({delivery.grant_id for delivery in deliveries})
    grants = {grant.id: grant for grant in await PartnerGrantModel.find({"_id": {"$in": ids}}).to_list()}
    return [WebhookDelivery.from_model(delivery, grants.get(delivery.grant_id)) for delivery in deliveries]


async def visible_deliveries(info: Info, ids: list[str]) -> list[Any]:
    if not info.context.principal.is_admin:
        return [None] * len(ids)
    wanted = [oid for oid in (object_id(value) for value in ids) if oid is not None]
    found = {
        item.delivery_id: item
        for item in await with_grants(await WebhookDeliveryModel.find({"_id": {"$in": wanted}}).to_list())
    }
    return [found.get(value) for value in ids]


def _cursor(delivery: WebhookDeliveryModel) -> str:
    return encode_cursor(CURSOR_KIND, f"{delivery.created_at.isoformat()}|{delivery.id}")


def _position(cursor: str) -> DeliveryPosition:
    moment, _, raw_id = decode_cursor(CURSOR_KIND, cursor).partition("|")
    oid = object_id(raw_id)
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        oid = None
    if oid is None:
        raise PaginationError(f"the cursor {cursor!r} is not valid here")
    return DeliveryPosition(created_at=at, id=oid)


@strawberry.type
class WebhookQueries:
    @field(
        description="The webhook delivery log, newest first (admins): each delivery with its attempts.",
        permission_classes=[IsAdmin],
    )
    async def webhook_deliveries(
        self,
        grant: relay.GlobalID | None = None,
        status: WebhookDeliveryStatus | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> WebhookDeliveryConnection:
        size = page_size(first)
        grant_id = None
        if grant is not None:
            grant_id = object_id(grant.node_id) if grant.type_name == "PartnerGrant" else None
            if grant_id is None:
                raise WebhookError(
                    WebhookErrorCode.GRANT_NOT_FOUND, "`grant` must be a PartnerGrant id", "grant"
                )
        page = await list_deliveries(
            grant_id=grant_id, status=status, after=_position(after) if after else None, first=size
        )
        nodes = await with_grants(page.items)
        edges = [
            relay.Edge(cursor=_cursor(item), node=node) for item, node in zip(page.items, nodes, strict=True)
        ]
        return WebhookDeliveryConnection(
            edges=edges,
            total_count=page.total_count,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
