"""One process's listener on one Redis pub/sub channel: a task that subscribes, hands each message on, pings
an idle connection, and connects again after a failure (with growing delays). Live events (hub.events.live)
and cache invalidations (hub.caches) each run one.

Delivery is best-effort, as pub/sub is: what is published while a process is not listening (a Redis outage,
a restart) does not reach it. `on_connected` lets a subclass make up for that when it is listening again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

log = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 3.0
RECONNECT_DELAYS_SECONDS = (0.5, 1.0, 2.0, 5.0)
# An idle listener pings Redis this often; with no answer for two periods, the connection is deemed dead
# (a Redis that vanished without closing the TCP connection) and opened again.
HEARTBEAT_SECONDS = 15.0


class ChannelListener:
    """Listens on `channel` while started; subclasses say what a message does (`dispatch`)."""

    def __init__(self, redis: Redis, channel: str) -> None:
        self.redis = redis
        self.channel = channel
        self.ready = asyncio.Event()
        self._attempted = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def dispatch(self, raw: bytes | str) -> None:
        raise NotImplementedError

    def on_connected(self, connected: bool) -> None:
        """Called each time listening starts (True) or stops (False)."""

    async def start(self) -> None:
        """Starts listening; waits for the first attempt to subscribe to the channel, a few seconds at most
        (the process starts during a Redis outage, and listens once Redis is back)."""
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name=f"pantau-listener-{self.channel}")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(READY_TIMEOUT_SECONDS):
                await self._attempted.wait()

    async def stop(self) -> None:
        task, self._task = self._task, None
        # Cancelled again until it ends (see _receive), and awaited without swallowing a cancellation of
        # the caller.
        while task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)

    async def _listen(self) -> None:
        failures = 0
        while True:
            delay = RECONNECT_DELAYS_SECONDS[0]
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self.ready.set()
                self._attempted.set()
                self.on_connected(True)
                failures = 0
                await self._receive(pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                delay = RECONNECT_DELAYS_SECONDS[min(failures, len(RECONNECT_DELAYS_SECONDS) - 1)]
                failures += 1
                log.warning("listening on %s failed (%r); again in %s s", self.channel, error, delay)
            finally:
                self.ready.clear()
                self._attempted.set()
                self.on_connected(False)
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(delay)

    async def _receive(self, pubsub: PubSub) -> None:
        heard = time.monotonic()
        task = asyncio.current_task()
        while True:
            item = await pubsub.get_message(timeout=HEARTBEAT_SECONDS)
            if task is not None and task.cancelling():
                # redis-py swallows a cancellation that arrives just as a reply does; honour it here.
                raise asyncio.CancelledError
            now = time.monotonic()
            if item is not None:
                heard = now
                if item.get("type") == "message":
                    self.dispatch(item["data"])
            elif now - heard > 2 * HEARTBEAT_SECONDS:
                raise ConnectionError(f"Redis did not answer for {now - heard:.0f} s")
            else:
                await pubsub.ping()
