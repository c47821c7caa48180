"""Attempts: the due ones (periodic task) and an admin's redelivery. An attempt takes a lease on its
delivery first, so two runs never send the same delivery at once; a run that dies mid-attempt leaves the
lease to run out, and the delivery is attempted again (at least once: partners drop repeats by delivery id).
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from beanie import PydanticObjectId
from bson.errors import InvalidId

from hub.access.models import PartnerGrant
from hub.audit.linker import complete
from hub.audit.pending import SYSTEM_ACTOR, pending_entry, push_pending
from hub.core.clock import storable_time, utcnow
from hub.i18n import Text
from hub.settings import Settings
from hub.webhooks.config import is_active
from hub.webhooks.errors import WebhookError, WebhookErrorCode
from hub.webhooks.models import DeliveryAttempt, DeliveryStatus, WebhookDelivery
from hub.webhooks.secrets import derive_secret, key_fingerprint
from hub.webhooks.sender import Outcome, Request, make_client, post

log = logging.getLogger(__name__)
KEPT_ATTEMPTS = 50
DUE_BATCH = 100
CONCURRENCY = 8


@dataclass(frozen=True)
class DeliveryPolicy:
    key: bytes
    timeout: float
    max_attempts: int
    retry_base: float
    retry_max: float
    allow_private: bool

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryPolicy:
        return cls(
            key=settings.webhook_key,
            timeout=settings.webhook_timeout_seconds,
            max_attempts=settings.webhook_max_attempts,
            retry_base=settings.webhook_retry_base_seconds,
            retry_max=settings.webhook_retry_max_seconds,
            allow_private=settings.webhooks_allow_private,
        )

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=2 * self.timeout + 30)

    def backoff(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt: base, 2x base, 4x base… up to the maximum,
        each up to a tenth longer (jitter, so that a partner back up is not hit by every retry at once)."""
        wait = min(self.retry_max, self.retry_base * 2 ** (attempts - 1))
        return timedelta(seconds=wait * random.uniform(1.0, 1.1))  # noqa: S311 - jitter, not a secret


@dataclass
class AttemptOutcome:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0  # another run holds it

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


async def _claim(delivery_id: PydanticObjectId, now: datetime, lease_until: datetime, manual: bool) -> bool:
    criteria: dict[str, Any] = {
        "_id": delivery_id,
        "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}],
    }
    if not manual:
        criteria.update({"status": DeliveryStatus.PENDING.value, "next_attempt_at": {"$lte": now}})
    result = await WebhookDelivery.get_pymongo_collection().update_one(
        criteria, {"$set": {"lease_until": lease_until}}
    )
    return result.modified_count == 1


def _refusal(grant: PartnerGrant | None, key: bytes) -> str | None:
    """Why nothing may be sent for this grant now, or None."""
    if grant is None or not is_active(grant):
        return "the grant is revoked or expired"
    if grant.webhook is None:
        return "the grant has no webhook any more"
    if grant.webhook.key_fingerprint != key_fingerprint(key):
        return "the webhook signing key has changed since the webhook was set: set the webhook again"
    return None


def _next_state(
    delivery: WebhookDelivery, outcome: Outcome, now: datetime, policy: DeliveryPolicy, manual: bool
) -> dict[str, Any]:
    if outcome is Outcome.DELIVERED:
        return {"status": DeliveryStatus.SUCCEEDED.value, "next_attempt_at": None, "delivered_at": now}
    if manual:  # a redelivery that failed leaves the retry schedule as it was
        return {}
    made = delivery.attempt_count + 1
    if outcome is Outcome.RETRY and made < policy.max_attempts:
        return {"status": DeliveryStatus.PENDING.value, "next_attempt_at": now + policy.backoff(made)}
    return {"status": DeliveryStatus.FAILED.value, "next_attempt_at": None}


async def _attempt(
    client: httpx.AsyncClient,
    delivery: WebhookDelivery,
    policy: DeliveryPolicy,
    *,
    manual: bool,
    actor: str | None = None,
) -> Outcome | None:
    """One attempt of a delivery, recorded on it (with an audit entry when an `actor` asked for it); None
    when another run holds it."""
    now = storable_time(utcnow())
    lease_until = now + policy.lease
    assert delivery.id is not None
    if not await _claim(delivery.id, now, lease_until, manual):
        return None
    delivery = await WebhookDelivery.get(delivery.id) or delivery  # as it is now that it is ours
    grant = await PartnerGrant.get(delivery.grant_id)
    refusal = _refusal(grant, policy.key)
    if refusal is not None or grant is None or grant.webhook is None:
        outcome = Outcome.REFUSED
        url = grant.webhook.url if grant and grant.webhook else ""
        attempt = DeliveryAttempt(at=now, url=url, error=refusal, duration_ms=0, manual=manual)
        state: dict[str, Any] = {"status": DeliveryStatus.FAILED.value, "next_attempt_at": None}
    else:
        secret = derive_secret(policy.key, str(grant.id), grant.webhook.secret_nonce)
        request = Request(
            str(delivery.id), delivery.event_kind, grant.webhook.url, delivery.body, secret, now
        )
        outcome, attempt = await post(
            client, request, allow_private=policy.allow_private, limit=policy.timeout, manual=manual
        )
        state = _next_state(delivery, outcome, now, policy, manual)
    if outcome is not Outcome.DELIVERED:
        log.warning(
            "webhook delivery %s to grant %s: %s",
            delivery.id,
            delivery.grant_id,
            attempt.error or f"HTTP {attempt.status_code}",
        )
    push: dict[str, Any] = {"attempts": {"$each": [attempt.model_dump()], "$slice": -KEPT_ATTEMPTS}}
    audit = None
    if actor is not None:
        change = {"status_code": attempt.status_code, "error": attempt.error}
        audit = pending_entry(actor, "webhook.redeliver", f"WebhookDelivery:{delivery.id}", change)
        push |= push_pending(audit)
    recorded = await WebhookDelivery.get_pymongo_collection().update_one(
        {"_id": delivery.id, "lease_until": lease_until},
        {
            "$set": {**state, "lease_until": None, "updated_at": storable_time(utcnow())},
            "$push": push,
            "$inc": {"attempt_count": 0 if manual else 1},
        },
    )
    if audit is not None and recorded.modified_count:
        await complete(WebhookDelivery, delivery.id, audit)
    return outcome


async def attempt_due(
    now: datetime, policy: DeliveryPolicy, *, batch: int = DUE_BATCH, concurrency: int = CONCURRENCY
) -> AttemptOutcome:
    """Attempts the deliveries due by `now`, a few at a time, at most `batch` of them per run."""
    due = (
        await WebhookDelivery.find({"status": DeliveryStatus.PENDING.value, "next_attempt_at": {"$lte": now}})
        .sort("next_attempt_at", "_id")
        .limit(batch)
        .to_list()
    )
    outcome = AttemptOutcome()
    if not due:
        return outcome
    gate = asyncio.Semaphore(concurrency)
    async with make_client(policy.timeout) as client:

        async def one(delivery: WebhookDelivery) -> Outcome | None:
            async with gate:
                return await _attempt(client, delivery, policy, manual=False)

        results = await asyncio.gather(*(one(delivery) for delivery in due))
    for delivery, result in zip(due, results, strict=True):
        if result is None:
            outcome.skipped += 1
        elif result is Outcome.DELIVERED:
            outcome.delivered += 1
        elif result is Outcome.RETRY and delivery.attempt_count + 1 < policy.max_attempts:
            outcome.retrying += 1
        else:
            outcome.failed += 1
    return outcome


async def get_delivery(delivery_id: str) -> WebhookDelivery:
    try:
        found = await WebhookDelivery.get(PydanticObjectId(delivery_id))
    except (InvalidId, TypeError, ValueError):
        found = None
    if found is None:
        raise WebhookError(WebhookErrorCode.DELIVERY_NOT_FOUND, Text("webhooks.delivery_not_found"), "id")
    return found


async def redeliver(
    delivery_id: str, policy: DeliveryPolicy, *, actor: str = SYSTEM_ACTOR
) -> WebhookDelivery:
    """A new attempt of a past delivery now: the same delivery id and body, a new timestamp and signature.
    Refused while another attempt is under way, or when the grant may no longer be sent anything."""
    delivery = await get_delivery(delivery_id)
    grant = await PartnerGrant.get(delivery.grant_id)
    refusal = _refusal(grant, policy.key)
    if refusal is not None:
        code = (
            WebhookErrorCode.WEBHOOK_NOT_SET
            if grant and is_active(grant)
            else WebhookErrorCode.GRANT_INACTIVE
        )
        raise WebhookError(code, refusal, "id")
    async with make_client(policy.timeout) as client:
        outcome = await _attempt(client, delivery, policy, manual=True, actor=actor)
    if outcome is None:
        raise WebhookError(WebhookErrorCode.DELIVERY_BUSY, Text("webhooks.delivery_busy"), "id")
    return await get_delivery(delivery_id)
