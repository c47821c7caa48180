"""`notificationAdded` across processes: whoever writes a notification (the worker's fan-out) publishes its
id and owner on a Redis pub/sub channel of its own; every API process listens once (`NotificationRelay`) and
hands each to the open subscriptions of that user. Best-effort, as pub/sub is: what a process misses while not
listening is still in the user's notifications (and their unread count).

Only ids travel: a subscription reads the notification again, as its owner, before delivering it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from dataclasses import dataclass

from prometheus_client import Gauge
from redis.asyncio import Redis

from hub.events.listener import ChannelListener
from hub.notifications.models import Notification
from hub.settings import Settings

log = logging.getLogger(__name__)
PUBLISH_TIMEOUT_SECONDS = 2.0
SUBSCRIBERS = Gauge("pantau_notification_subscribers", "notificationAdded subscriptions open in this process")


def notification_channel(settings: Settings) -> str:
    """This deployment's (and each test session's) channel, named like the live events' one."""
    return f"{settings.es_index_prefix}:notifications"


@dataclass(frozen=True)
class Added:
    user_id: str
    notification_id: str


class NotificationPublisher:
    def __init__(self, redis: Redis, channel: str) -> None:
        self.redis = redis
        self.channel = channel

    async def added(self, notification: Notification) -> None:
        """Announces a new notification; a failure is logged, never raised (the notification is written)."""
        payload = {"userId": str(notification.user_id), "notificationId": str(notification.id)}
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_SECONDS):
                await self.redis.publish(self.channel, json.dumps(payload))
        except Exception as error:
            log.warning("could not announce notification %s: %r", notification.id, error)


class Overflow(Exception):
    """The subscriber read more slowly than its notifications arrived; its subscription is over."""


class NoticeSubscriber:
    def __init__(self, user_id: str, queue_size: int) -> None:
        self.user_id = user_id
        self.queue_size = queue_size
        self.queue: asyncio.Queue[Added | None] = asyncio.Queue(maxsize=queue_size + 1)
        self.overflowed = False

    def offer(self, added: Added) -> None:
        if self.overflowed:
            return
        if self.queue.qsize() < self.queue_size:
            self.queue.put_nowait(added)
            return
        self.overflowed = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)

    async def next(self) -> Added:
        added = await self.queue.get()
        if added is None:
            raise Overflow(
                f"notifications arrived faster than they were read (more than {self.queue_size} waiting); "
                "this subscription has ended: subscribe again"
            )
        return added


class NotificationRelay(ChannelListener):
    """The one listener of an API process, dispatching to the subscriptions of each user."""

    def __init__(self, redis: Redis, channel: str, *, queue_size: int) -> None:
        super().__init__(redis, channel)
        self.queue_size = queue_size
        self.subscribers: dict[str, set[NoticeSubscriber]] = defaultdict(set)

    def subscribe(self, user_id: str) -> NoticeSubscriber:
        subscriber = NoticeSubscriber(user_id, self.queue_size)
        self.subscribers[user_id].add(subscriber)
        SUBSCRIBERS.inc()
        return subscriber

    def unsubscribe(self, subscriber: NoticeSubscriber) -> None:
        mine = self.subscribers.get(subscriber.user_id)
        if mine is not None and subscriber in mine:
            mine.discard(subscriber)
            SUBSCRIBERS.dec()
            if not mine:
                del self.subscribers[subscriber.user_id]

    def dispatch(self, raw: bytes | str) -> None:
        try:
            payload = json.loads(raw)
            added = Added(str(payload["userId"]), str(payload["notificationId"]))
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed notification message on %s", self.channel)
            return
        for subscriber in list(self.subscribers.get(added.user_id, ())):
            subscriber.offer(added)
