from __future__ import annotations

import strawberry

from hub.webhooks.config import clear_webhook
from hub.webhooks.errors import WebhookError as DomainWebhookError
from schema.access.grants import PartnerGrant
from schema.context import Info
from schema.describe import ERRORS
from schema.webhooks.mutations.common import GrantId, grant_id, webhook_errors
from schema.webhooks.types import WebhookError


@strawberry.type(description="What `partnerGrantWebhookClear` answers.")
class PartnerGrantWebhookClearPayload:
    grant: PartnerGrant | None = strawberry.field(description="The grant, without a webhook now.")
    errors: list[WebhookError] = strawberry.field(description=ERRORS)


async def partner_grant_webhook_clear(info: Info, id: GrantId) -> PartnerGrantWebhookClearPayload:
    """Stop sending a partner grant's events (admins only); deliveries still waiting are not sent."""
    try:
        grant, _ = await clear_webhook(grant_id(id), actor=info.context.principal.actor)
    except DomainWebhookError as error:
        return PartnerGrantWebhookClearPayload(grant=None, errors=webhook_errors(error))
    return PartnerGrantWebhookClearPayload(grant=PartnerGrant.from_model(grant), errors=[])
