"""The time: always aware and in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def storable_time(moment: datetime) -> datetime:
    """`moment` in UTC cut to milliseconds: MongoDB keeps no more, so a value compared or hashed after a
    round trip through the database must be cut the same way before it is written."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
