"""A process's listeners on Redis pub/sub channels: one task and one connection (`Listening`) that subscribes
to every listener's channel, hands each message to the listener of its channel, pings an idle connection,
and connects again after a failure (with growing delays). An API process listens for live events
(hub.events.live), new notifications (hub.notifications.live) and cache invalidations (hub.caches) on one
connection; a worker listens for invalidations alone (`ChannelListener.start`).

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
    """Listens on `channel`; subclasses say what a message does (`dispatch`). Started alone, it has a
    connection of its own; several listeners share one through `Listening`."""

    def __init__(self, redis: Redis, channel: str) -> None:
        self.redis = redis
        self.channel = channel
        self.ready = asyncio.Event()
        self._own: Listening | None = None

    def dispatch(self, raw: bytes | str) -> None:
        raise NotImplementedError

    def on_connected(self, connected: bool) -> None:
        """Called each time listening starts (True) or stops (False)."""

    async def start(self) -> None:
        if self._own is None:
            self._own = Listening(self.redis, [self])
        await self._own.start()

    async def stop(self) -> None:
        if self._own is not None:
            await self._own.stop()


class Listening:
    """One pub/sub connection for several listeners, each on its own channel."""

    def __init__(self, redis: Redis, listeners: list[ChannelListener]) -> None:
        self.redis = redis
        self.listeners = {listener.channel: listener for listener in listeners}
        if len(self.listeners) != len(listeners):
            raise ValueError("one listener per channel")
        self._attempted = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Starts listening; waits for the first attempt to subscribe to the channels, a few seconds at most
        (the process starts during a Redis outage, and listens once Redis is back)."""
        if self._task is None:
            name = f"pantau-listener-{'+'.join(self.listeners)}"
            self._task = asyncio.create_task(self._listen(), name=name)
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

    def _connected(self, connected: bool) -> None:
        for listener in self.listeners.values():
            if connected:
                listener.ready.set()
            else:
                listener.ready.clear()
            listener.on_connected(connected)

    async def _listen(self) -> None:
        failures = 0
        channels = ", ".join(self.listeners)
        while True:
            delay = RECONNECT_DELAYS_SECONDS[0]
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(*self.listeners)
                self._attempted.set()
                self._connected(True)
                failures = 0
                await self._receive(pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                delay = RECONNECT_DELAYS_SECONDS[min(failures, len(RECONNECT_DELAYS_SECONDS) - 1)]
                failures += 1
                log.warning("listening on %s failed (%r); again in %s s", channels, error, delay)
            finally:
                self._attempted.set()
                self._connected(False)
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
                    self._dispatch(item["channel"], item["data"])
            elif now - heard > 2 * HEARTBEAT_SECONDS:
                raise ConnectionError(f"Redis did not answer for {now - heard:.0f} s")
            else:
                await pubsub.ping()

    def _dispatch(self, channel: bytes | str, data: bytes | str) -> None:
        name = channel.decode(errors="replace") if isinstance(channel, bytes) else channel
        listener = self.listeners.get(name)
        if listener is None:
            log.debug("a message on %r, which nobody here listens to, ignored", name)
            return
        try:
            listener.dispatch(data)
        except Exception:  # one listener's failure must not end the others' connection
            log.exception("the listener of %s failed on a message", name)
