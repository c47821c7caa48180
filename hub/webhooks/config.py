"""Setting and clearing a grant's webhook (admins). Setting one, again or anew, makes a new secret."""

from __future__ import annotations

from dataclasses import dataclass

from beanie import PydanticObjectId
from bson.errors import InvalidId

from hub.access.models import GrantWebhook, PartnerGrant
from hub.audit.linker import complete
from hub.audit.pending import SYSTEM_ACTOR, pending_entry, push_pending
from hub.core.clock import storable_time, utcnow
from hub.i18n import Text
from hub.webhooks.errors import WebhookError, WebhookErrorCode
from hub.webhooks.secrets import derive_secret, key_fingerprint, new_nonce
from hub.webhooks.urls import check_url


@dataclass(frozen=True)
class WebhookSet:
    grant: PartnerGrant
    secret: str


async def get_grant(grant_id: str) -> PartnerGrant:
    try:
        grant = await PartnerGrant.get(PydanticObjectId(grant_id))
    except (InvalidId, TypeError, ValueError):
        grant = None
    if grant is None:
        raise WebhookError(WebhookErrorCode.GRANT_NOT_FOUND, Text("webhooks.grant_not_found"), "id")
    return grant


def is_active(grant: PartnerGrant) -> bool:
    return grant.revoked_at is None and grant.expires_at > utcnow()


async def set_webhook(grant_id: str, url: str, *, actor: str, key: bytes, allow_private: bool) -> WebhookSet:
    grant = await get_grant(grant_id)
    if not is_active(grant):
        raise WebhookError(WebhookErrorCode.GRANT_INACTIVE, Text("webhooks.grant_inactive"), "id")
    checked = await check_url(url, allow_private=allow_private)
    nonce = new_nonce()
    webhook = GrantWebhook(
        url=checked,
        secret_nonce=nonce,
        key_fingerprint=key_fingerprint(key),
        set_by=actor,
        set_at=storable_time(utcnow()),
    )
    audit = pending_entry(actor, "partner_grant.webhook_set", f"PartnerGrant:{grant.id}", {"url": checked})
    await PartnerGrant.get_pymongo_collection().update_one(
        {"_id": grant.id}, {"$set": {"webhook": webhook.model_dump()}, "$push": push_pending(audit)}
    )
    await complete(PartnerGrant, grant.id, audit)
    return WebhookSet(grant=await get_grant(grant_id), secret=derive_secret(key, str(grant.id), nonce))


async def clear_webhook(grant_id: str, *, actor: str = SYSTEM_ACTOR) -> tuple[PartnerGrant, str | None]:
    """Removes the webhook; returns the grant and the URL it had (None: there was none, and nothing is
    recorded). Deliveries still pending fail at their next attempt."""
    grant = await get_grant(grant_id)
    previous = grant.webhook.url if grant.webhook else None
    if previous is None:
        return grant, None
    audit = pending_entry(actor, "partner_grant.webhook_clear", f"PartnerGrant:{grant.id}", {"url": previous})
    await PartnerGrant.get_pymongo_collection().update_one(
        {"_id": grant.id}, {"$set": {"webhook": None}, "$push": push_pending(audit)}
    )
    await complete(PartnerGrant, grant.id, audit)
    return await get_grant(grant_id), previous
