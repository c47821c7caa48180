"""Live events across processes: every process that emits events publishes them to one Redis pub/sub channel
(`RedisEventSink`), and every API process listens to it on one Redis connection (`LiveRelay`) and hands each
event to the local subscribers whose filter accepts it.

Delivery is best-effort, as pub/sub is: an event published while a process is not listening (a Redis outage,
a restart) is not replayed to its live subscribers; the outbox (hub.events.models.Event) keeps every event
for consumers that must miss none (webhooks).

Each local subscriber has a bounded queue. A subscriber whose queue is full (its client reads more slowly
than events arrive) is cut off: it gets `SubscriberOverflow` instead of its next event, and the queue is
dropped, rather than silently losing events in the middle of the stream. The client resubscribes and catches
up through queries.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prometheus_client import Counter, Gauge
from redis.asyncio import Redis

from hub.events.bus import EventSink, set_sinks
from hub.events.listener import ChannelListener
from hub.events.models import Event, EventKind
from hub.settings import Settings

log = logging.getLogger(__name__)

PUBLISH_TIMEOUT_SECONDS = 2.0

SUBSCRIBERS = Gauge("pantau_live_subscribers", "Live event subscriptions open in this process")
RELAY_CONNECTED = Gauge("pantau_live_relay_connected", "1 while this process listens to the event channel")
RECEIVED = Counter("pantau_live_events_received_total", "Events this process received from the channel")
OVERFLOWS = Counter("pantau_live_subscriber_overflows_total", "Subscriptions cut off for reading too slowly")


def live_channel(settings: Settings) -> str:
    """The pub/sub channel of this deployment (the index prefix names it, and each test session, in shared
    services, as for rate-limit keys)."""
    return f"{settings.es_index_prefix}:events"


@dataclass(frozen=True)
class LiveMessage:
    """An event as it arrives from the channel: `Event.public()`, parsed."""

    id: str
    kind: EventKind
    target_type: str
    target_id: str
    region_code: str
    region_path: tuple[str, ...]
    report_type: str | None
    at: datetime
    data: dict[str, Any]

    @classmethod
    def from_public(cls, payload: dict[str, Any]) -> LiveMessage:
        return cls(
            id=str(payload["id"]),
            kind=EventKind(payload["kind"]),
            target_type=str(payload["targetType"]),
            target_id=str(payload["targetId"]),
            region_code=str(payload["regionCode"]),
            region_path=tuple(str(code) for code in payload["regionPath"]),
            report_type=payload.get("reportType"),
            at=datetime.fromisoformat(payload["at"]),
            data=dict(payload.get("data") or {}),
        )


class RedisEventSink:
    """Publishes each event to the channel; an EventSink (hub.events.bus)."""

    def __init__(self, redis: Redis, channel: str) -> None:
        self.redis = redis
        self.channel = channel

    async def published(self, event: Event) -> None:
        # Bounded: a change must not wait long on an unreachable Redis (the bus logs the failure).
        async with asyncio.timeout(PUBLISH_TIMEOUT_SECONDS):
            await self.redis.publish(self.channel, json.dumps(event.public()))


_installed: list[list[EventSink]] = []


@contextlib.contextmanager
def sinks_installed(sinks: list[EventSink]) -> Iterator[None]:
    """Plugs `sinks` into the event bus while the block runs, then puts back what was there before (several
    apps may live in one process, as in the tests; the innermost one's sinks are in use)."""
    _installed.append(sinks)
    set_sinks(sinks)
    try:
        yield
    finally:
        for index in range(len(_installed) - 1, -1, -1):
            if _installed[index] is sinks:
                del _installed[index]
                break
        set_sinks(_installed[-1] if _installed else [])


class SubscriberOverflow(Exception):
    """The subscriber fell too far behind; its subscription is over."""


class Subscriber:
    def __init__(self, accepts: Callable[[LiveMessage], bool], queue_size: int) -> None:
        self.accepts = accepts
        self.queue_size = queue_size
        # None marks the end: the subscriber fell behind and its waiting events were dropped.
        self.queue: asyncio.Queue[LiveMessage | None] = asyncio.Queue(maxsize=queue_size + 1)
        self.overflowed = False

    def offer(self, message: LiveMessage) -> None:
        if self.overflowed:
            return
        if self.queue.qsize() < self.queue_size:
            self.queue.put_nowait(message)
            return
        self.overflowed = True
        OVERFLOWS.inc()
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)

    async def next(self) -> LiveMessage:
        """The next accepted event; raises SubscriberOverflow once the subscriber fell behind."""
        message = await self.queue.get()
        if message is None:
            raise SubscriberOverflow(
                f"events arrived faster than they were read (more than {self.queue_size} waiting); "
                "this subscription has ended: subscribe again"
            )
        return message


class LiveRelay(ChannelListener):
    """The one listener of a process (hub.events.listener), dispatching to the local subscribers."""

    def __init__(self, redis: Redis, channel: str, *, queue_size: int) -> None:
        super().__init__(redis, channel)
        self.queue_size = queue_size
        self.subscribers: set[Subscriber] = set()

    def on_connected(self, connected: bool) -> None:
        RELAY_CONNECTED.set(1 if connected else 0)

    def subscribe(self, accepts: Callable[[LiveMessage], bool]) -> Subscriber:
        subscriber = Subscriber(accepts, self.queue_size)
        self.subscribers.add(subscriber)
        SUBSCRIBERS.inc()
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if subscriber in self.subscribers:
            self.subscribers.discard(subscriber)
            SUBSCRIBERS.dec()

    def dispatch(self, raw: bytes | str) -> None:
        try:
            message = LiveMessage.from_public(json.loads(raw))
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed live event on %s", self.channel)
            return
        RECEIVED.inc()
        for subscriber in list(self.subscribers):
            try:
                accepted = subscriber.accepts(message)
            except Exception:
                log.exception("a live event filter failed for event %s", message.id)
                continue
            if accepted:
                subscriber.offer(message)
