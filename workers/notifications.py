"""Notification tasks: an event's fan-out (sent by the API right after the change), the sweep of events whose
message was lost (and those emitted by workers), and the daily e-mail digests (hub.notifications.run)."""

from __future__ import annotations

import logging

from celery import Task, shared_task

from hub.clients import Clients
from hub.core.clock import utcnow
from hub.notifications.live import NotificationPublisher, notification_channel
from hub.notifications.run import notify_event, notify_missed_events, send_digests
from hub.reminders.mail import SmtpConfig
from workers import runtime
from workers.tasks import RETRY

log = logging.getLogger(__name__)


def _publisher(clients: Clients) -> NotificationPublisher:
    return NotificationPublisher(clients.redis, notification_channel(clients.settings))


async def _notify_event(clients: Clients, event_id: str) -> dict[str, int]:
    outcome = await notify_event(event_id, _publisher(clients), SmtpConfig.from_settings(clients.settings))
    return outcome.as_dict()


@shared_task(name="pantau.notify_event", bind=True, **RETRY)
def notify_event_task(self: Task[[str], dict[str, int]], event_id: str) -> dict[str, int]:
    """Notifies the people one event concerns; run twice, it writes and sends nothing more."""
    counts = runtime.run(lambda clients: _notify_event(clients, event_id))
    if counts["notified"]:
        log.info("event %s notified: %s", event_id, counts)
    return counts


async def _notify_events(clients: Clients) -> dict[str, int]:
    smtp = SmtpConfig.from_settings(clients.settings)
    return (await notify_missed_events(_publisher(clients), smtp)).as_dict()


@shared_task(name="pantau.notify_events", bind=True, **RETRY)
def notify_events_task(self: Task[[], dict[str, int]]) -> dict[str, int]:
    counts = runtime.run(_notify_events)
    if counts["events"]:
        log.info("notification sweep: %s", counts)
    return counts


async def _email_digests(clients: Clients) -> int:
    return await send_digests(utcnow(), SmtpConfig.from_settings(clients.settings))


@shared_task(name="pantau.email_digests", bind=True, **RETRY)
def email_digests_task(self: Task[[], int]) -> int:
    return runtime.run(_email_digests)
