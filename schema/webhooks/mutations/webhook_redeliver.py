from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.webhooks.delivery import DeliveryPolicy, redeliver
from hub.webhooks.errors import WebhookError as DomainWebhookError
from hub.webhooks.errors import WebhookErrorCode
from schema.context import Info
from schema.describe import ERRORS
from schema.webhooks.mutations.common import WEBHOOK_ERRORS, webhook_errors
from schema.webhooks.types import WebhookDelivery, WebhookError


@strawberry.type(description="What `webhookRedeliver` answers.")
class WebhookRedeliverPayload:
    delivery: WebhookDelivery | None = strawberry.field(description="With the new attempt last.")
    errors: list[WebhookError] = strawberry.field(description=ERRORS)


async def webhook_redeliver(
    info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The delivery's id.")]
) -> WebhookRedeliverPayload:
    """Send a past delivery again now (admins only): the same delivery id and body, a new timestamp and
    signature. The attempt is made before this returns; its outcome is the last of `attempts`."""
    policy = DeliveryPolicy.from_settings(info.context.clients.settings)
    try:
        delivery = await redeliver(
            WEBHOOK_ERRORS.raw_id(id, "WebhookDelivery", WebhookErrorCode.DELIVERY_NOT_FOUND),
            policy,
            actor=info.context.principal.actor,
        )
    except DomainWebhookError as error:
        return WebhookRedeliverPayload(delivery=None, errors=webhook_errors(error))
    (node,) = await WebhookDelivery.many([delivery])
    return WebhookRedeliverPayload(delivery=node, errors=[])
