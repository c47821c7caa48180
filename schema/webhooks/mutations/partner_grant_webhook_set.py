from __future__ import annotations

from typing import Annotated

import strawberry

from hub.webhooks.config import set_webhook
from hub.webhooks.errors import WebhookError as DomainWebhookError
from schema.access.grants import PartnerGrant
from schema.context import Info
from schema.describe import ERRORS
from schema.webhooks.mutations.common import GrantId, grant_id, webhook_errors
from schema.webhooks.types import WebhookError


@strawberry.input(description="Where to POST a partner grant's events.")
class PartnerGrantWebhookSetInput:
    url: str = strawberry.field(description="An http(s) URL; public addresses only in production.")


@strawberry.type(description="What `partnerGrantWebhookSet` answers.")
class PartnerGrantWebhookSetPayload:
    grant: PartnerGrant | None = strawberry.field(description="The grant, with its webhook.")
    secret: str | None = strawberry.field(
        description="The signing secret, shown only this once: the partner checks `X-Pantau-Signature` "
        "(`sha256=` + hex HMAC-SHA256 of `<X-Pantau-Timestamp>.<body>`) with it."
    )
    errors: list[WebhookError] = strawberry.field(description=ERRORS)


async def partner_grant_webhook_set(
    info: Info,
    id: GrantId,
    input: Annotated[PartnerGrantWebhookSetInput, strawberry.argument(description="The URL.")],
) -> PartnerGrantWebhookSetPayload:
    """Send a partner grant's events to a URL (admins only). Each call makes a new signing secret; events
    from now on are delivered, signed with it."""
    settings = info.context.clients.settings
    actor = info.context.principal.actor
    try:
        done = await set_webhook(
            grant_id(id),
            input.url,
            actor=actor,
            key=settings.webhook_key,
            allow_private=settings.webhooks_allow_private,
        )
    except DomainWebhookError as error:
        return PartnerGrantWebhookSetPayload(grant=None, secret=None, errors=webhook_errors(error))
    return PartnerGrantWebhookSetPayload(
        grant=PartnerGrant.from_model(done.grant), secret=done.secret, errors=[]
    )
