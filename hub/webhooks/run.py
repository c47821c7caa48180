"""One webhook run (the periodic task): drain the outbox into deliveries, then attempt what is due."""

from __future__ import annotations

from datetime import datetime

from hub.core.clock import storable_time
from hub.webhooks.delivery import DeliveryPolicy, attempt_due
from hub.webhooks.outbox import drain_events


async def deliver_webhooks(now: datetime, policy: DeliveryPolicy) -> dict[str, int]:
    """Safe to run twice, and in two workers at once (unique deliveries, leased attempts)."""
    now = storable_time(now)
    drained = await drain_events(now)
    attempted = await attempt_due(now, policy)
    return {**drained.as_dict(), **attempted.as_dict()}
