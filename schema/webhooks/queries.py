from __future__ import annotations

import strawberry
from strawberry import relay

from hub.core.ids import object_id
from hub.core.paging import page_size
from hub.webhooks.errors import WebhookError, WebhookErrorCode
from hub.webhooks.listing import DELIVERIES_NEWEST, list_deliveries
from schema.connection import connection
from schema.fields import field
from schema.permissions import IsAdmin
from schema.webhooks.types import WebhookDelivery, WebhookDeliveryConnection, WebhookDeliveryStatus


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
        position = DELIVERIES_NEWEST.position(after)
        grant_id = None
        if grant is not None:
            grant_id = object_id(grant.node_id) if grant.type_name == "PartnerGrant" else None
            if grant_id is None:
                raise WebhookError(
                    WebhookErrorCode.GRANT_NOT_FOUND, "`grant` must be a PartnerGrant id", "grant"
                )
        page = await list_deliveries(grant_id=grant_id, status=status, after=position, first=size)
        return connection(
            WebhookDeliveryConnection,
            page,
            await WebhookDelivery.many(page.items),
            cursor=DELIVERIES_NEWEST.cursor,
            after=after,
        )
