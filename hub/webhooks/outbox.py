"""Draining the event outbox into deliveries: oldest events first, in bounded batches; each event becomes
one delivery per active grant with a webhook whose scope covers it, and is then marked done. A run that dies
half-way leaves its events undone; the next one makes only the deliveries that are missing."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from pymongo.errors import DuplicateKeyError

from hub.access.grants import grant_scope
from hub.access.models import PartnerGrant
from hub.access.visibility import sees_event
from hub.events.models import Event
from hub.webhooks.models import WebhookDelivery
from hub.webhooks.payload import body

log = logging.getLogger(__name__)
BATCH = 200
MAX_BATCHES = 10  # events per run at most BATCH * MAX_BATCHES; the next run goes on


@dataclass
class DrainOutcome:
    events: int = 0
    deliveries: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


async def webhook_grants(now: datetime) -> list[PartnerGrant]:
    """Grants that may be sent events now: with a webhook, not revoked, not expired."""
    criteria = {"webhook": {"$ne": None}, "revoked_at": None, "expires_at": {"$gt": now}}
    return await PartnerGrant.find(criteria).sort("_id").to_list()


async def _deliveries_for(event: Event, grants: list[PartnerGrant], now: datetime) -> int:
    made = 0
    for grant in grants:
        webhook = grant.webhook
        if webhook is None or event.at < webhook.set_at:  # a new webhook gets events from then on
            continue
        scope = grant_scope(grant)
        if not sees_event(scope, event):
            continue
        delivery = WebhookDelivery(
            key=f"{grant.id}:{event.id}",
            grant_id=grant.id,
            event_id=event.id,
            event_kind=event.kind.value,
            body=body(scope, event),
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        try:
            await delivery.insert()
        except DuplicateKeyError:
            continue
        made += 1
    return made


async def drain_events(now: datetime, *, batch: int = BATCH, max_batches: int = MAX_BATCHES) -> DrainOutcome:
    outcome = DrainOutcome()
    grants = await webhook_grants(now)
    for _ in range(max_batches):
        events = await Event.find({"webhooks_done": False}).sort("at", "_id").limit(batch).to_list()
        if not events:
            break
        for event in events:
            outcome.deliveries += await _deliveries_for(event, grants, now)
        await Event.get_pymongo_collection().update_many(
            {"_id": {"$in": [event.id for event in events]}}, {"$set": {"webhooks_done": True}}
        )
        outcome.events += len(events)
        if len(events) < batch:
            break
    return outcome
