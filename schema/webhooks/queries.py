from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.core.ids import object_id
from hub.i18n import Text
from hub.webhooks.errors import WebhookError, WebhookErrorCode
from hub.webhooks.listing import DELIVERIES_NEWEST, list_deliveries
from schema.connection import After, Before, First, Last, connection
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
        grant: Annotated[
            relay.GlobalID | None, strawberry.argument(description="Only those of this PartnerGrant.")
        ] = None,
        status: Annotated[
            WebhookDeliveryStatus | None, strawberry.argument(description="Only those in this status.")
        ] = None,
        first: First = 20,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> WebhookDeliveryConnection:
        position, size = DELIVERIES_NEWEST.window(first=first, after=after, last=last, before=before)
        grant_id = None
        if grant is not None:
            grant_id = object_id(grant.node_id) if grant.type_name == "PartnerGrant" else None
            if grant_id is None:
                raise WebhookError(WebhookErrorCode.GRANT_NOT_FOUND, Text("webhooks.grant_id"), "grant")
        page = await list_deliveries(grant_id=grant_id, status=status, after=position, first=size)
        return connection(
            WebhookDeliveryConnection,
            page,
            await WebhookDelivery.many(page.items),
            cursor=DELIVERIES_NEWEST.cursor,
        )
