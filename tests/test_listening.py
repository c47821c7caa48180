"""An API process listens on several Redis pub/sub channels (live events, notifications, cache
invalidations) over one connection (hub.events.listener.Listening): each message reaches the listener of its
channel, and one listener failing on a message does not stop the others."""

from __future__ import annotations

import asyncio
import uuid

from redis.asyncio import Redis

from hub.clients import Clients
from hub.events.listener import ChannelListener, Listening

POLLS = 200


class Collecting(ChannelListener):
    def __init__(self, redis: Redis, channel: str, *, fail: bool = False) -> None:
        super().__init__(redis, channel)
        self.heard: list[bytes | str] = []
        self.fail = fail

    def dispatch(self, raw: bytes | str) -> None:
        self.heard.append(raw)
        if self.fail:
            raise RuntimeError("this listener fails on every message")


async def test_one_connection_hands_each_channels_messages_to_its_listener(seeded: Clients) -> None:
    prefix = f"listening-{uuid.uuid4().hex}"
    failing = Collecting(seeded.redis, f"{prefix}:a", fail=True)
    other = Collecting(seeded.redis, f"{prefix}:b")
    listening = Listening(seeded.redis, [failing, other])
    await listening.start()
    try:
        assert failing.ready.is_set() and other.ready.is_set()
        await seeded.redis.publish(f"{prefix}:a", "to a")
        await seeded.redis.publish(f"{prefix}:b", "to b")
        await seeded.redis.publish(f"{prefix}:b", "to b again")
        for _ in range(POLLS):
            if len(other.heard) == 2:
                break
            await asyncio.sleep(0.02)
        assert [bytes(m) if isinstance(m, bytes) else m.encode() for m in failing.heard] == [b"to a"]
        assert [bytes(m) if isinstance(m, bytes) else m.encode() for m in other.heard] == [
            b"to b",
            b"to b again",
        ]
    finally:
        await listening.stop()
    assert not failing.ready.is_set() and not other.ready.is_set()
