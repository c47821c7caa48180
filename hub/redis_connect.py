"""Redis clients from the settings: one server (`redis://`, `rediss://`), or the master that Redis Sentinel
names (`sentinel://host:port;sentinel://host:port/db` with PANTAU_REDIS_SENTINEL_MASTER), found again after a
failover. Every Redis client of the app comes from here (API, workers, the scheduler's lock); Celery's broker
gets the same URL and the matching transport options (workers/celery_app.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urlsplit

import redis
import redis.asyncio
import redis.asyncio.sentinel
import redis.sentinel

if TYPE_CHECKING:
    from hub.settings import Settings

SENTINEL_PORT = 26379
# Connections to the sentinels and the master fail fast: a request must not hang on an unreachable one.
SOCKET_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class SentinelAddress:
    """What a sentinel:// URL says: the sentinels, and how to log in to the master and which database."""

    sentinels: tuple[tuple[str, int], ...]
    username: str | None
    password: str | None
    db: int


def parse_sentinel_url(url: str) -> SentinelAddress:
    """The parts of `sentinel://[[user]:password@]host[:port][;sentinel://host[:port]…][/db]` (the format of
    Celery's broker URL); ValueError says what is wrong."""
    sentinels = []
    username = password = None
    db = 0
    for number, part in enumerate(filter(None, (item.strip() for item in url.split(";")))):
        parsed = urlsplit(part)
        if parsed.scheme != "sentinel" or not parsed.hostname:
            raise ValueError(f"{part!r} is not a sentinel://host:port address")
        try:
            port = parsed.port or SENTINEL_PORT
        except ValueError:
            raise ValueError(f"{part!r} has an invalid port") from None
        sentinels.append((parsed.hostname, port))
        path = parsed.path.strip("/")
        if path:
            if not path.isdigit():
                raise ValueError(f"the database in {part!r} must be a number")
            db = int(path)
        if number == 0:
            username = unquote(parsed.username) if parsed.username else None
            password = unquote(parsed.password) if parsed.password else None
    if not sentinels:
        raise ValueError("a sentinel:// URL names at least one sentinel")
    return SentinelAddress(tuple(sentinels), username, password, db)


def _sentinel_options(settings: Settings) -> tuple[SentinelAddress, str, dict[str, Any]]:
    address = parse_sentinel_url(settings.redis_url)
    assert settings.redis_sentinel_master is not None  # checked by the settings
    sentinel_kwargs: dict[str, Any] = {"socket_timeout": SOCKET_TIMEOUT_SECONDS}
    if settings.redis_sentinel_password is not None:
        sentinel_kwargs["password"] = settings.redis_sentinel_password.get_secret_value()
    return address, settings.redis_sentinel_master, sentinel_kwargs


def _master_options(settings: Settings) -> tuple[list[tuple[str, int]], dict[str, Any], str, dict[str, Any]]:
    """(sentinels, the sentinels' own options, master name, options of the master's connections)."""
    address, master, sentinel_kwargs = _sentinel_options(settings)
    connection = {
        "username": address.username,
        "password": address.password,
        "db": address.db,
        "socket_timeout": SOCKET_TIMEOUT_SECONDS,
    }
    return list(address.sentinels), sentinel_kwargs, master, connection


def redis_client(settings: Settings) -> redis.asyncio.Redis:
    """An asyncio client of the deployment's Redis (through Sentinel when the URL says so)."""
    if not settings.uses_sentinel:
        return redis.asyncio.Redis.from_url(settings.redis_url)
    sentinels, sentinel_kwargs, master, connection = _master_options(settings)
    sentinel = redis.asyncio.sentinel.Sentinel(sentinels, sentinel_kwargs=sentinel_kwargs)  # type: ignore[no-untyped-call]
    return cast(redis.asyncio.Redis, sentinel.master_for(master, **connection))


def sync_redis_client(settings: Settings) -> redis.Redis:
    """A blocking client of the deployment's Redis, for code outside an event loop (the scheduler)."""
    if not settings.uses_sentinel:
        return redis.Redis.from_url(settings.redis_url)
    sentinels, sentinel_kwargs, master, connection = _master_options(settings)
    sentinel = redis.sentinel.Sentinel(sentinels, sentinel_kwargs=sentinel_kwargs)  # type: ignore[no-untyped-call]
    return cast(redis.Redis, sentinel.master_for(master, **connection))  # type: ignore[no-untyped-call]


def broker_sentinel_options(settings: Settings) -> dict[str, Any]:
    """Celery's transport options for a sentinel:// broker (none for a plain Redis URL)."""
    if not settings.uses_sentinel:
        return {}
    _address, master, sentinel_kwargs = _sentinel_options(settings)
    return {"master_name": master, "sentinel_kwargs": sentinel_kwargs}
