from __future__ import annotations

import strawberry
from strawberry import relay

from hub.webhooks.config import clear_webhook
from hub.webhooks.errors import WebhookError as DomainWebhookError
from schema.access.grants import PartnerGrant
from schema.context import Info
from schema.webhooks.mutations.common import grant_id, webhook_errors
from schema.webhooks.types import WebhookError


@strawberry.type
class PartnerGrantWebhookClearPayload:
    grant: PartnerGrant | None
    errors: list[WebhookError]


async def partner_grant_webhook_clear(info: Info, id: relay.GlobalID) -> PartnerGrantWebhookClearPayload:
    """Stop sending a partner grant's events (admins only); deliveries still waiting are not sent."""
    try:
        grant, _ = await clear_webhook(grant_id(id), actor=info.context.principal.actor)
    except DomainWebhookError as error:
        return PartnerGrantWebhookClearPayload(grant=None, errors=webhook_errors(error))
    return PartnerGrantWebhookClearPayload(grant=PartnerGrant.from_model(grant), errors=[])
