from __future__ import annotations

import strawberry
from strawberry import relay

from hub.audit.service import record
from hub.webhooks.config import clear_webhook
from hub.webhooks.errors import WebhookError as DomainWebhookError
from schema.access.types import PartnerGrant
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
        grant, previous = await clear_webhook(grant_id(id))
    except DomainWebhookError as error:
        return PartnerGrantWebhookClearPayload(grant=None, errors=webhook_errors(error))
    if previous is not None:
        await record(
            info.context.principal.actor,
            "partner_grant.webhook_clear",
            f"PartnerGrant:{grant.id}",
            {"url": previous},
        )
    return PartnerGrantWebhookClearPayload(grant=PartnerGrant.from_model(grant), errors=[])
