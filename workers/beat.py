"""The scheduler (Celery beat) as a safe singleton: of all the scheduler processes that run, only the one
holding a Redis lock sends the periodic tasks; the others stand by and take over when the lock expires.

Celery beat itself has no such guard: two `pantau scheduler` processes (a second node, a restart that
overlapped the old process) would each send every periodic task. Here the lock (`<queue>.scheduler`) expires
PANTAU_SCHEDULER_LOCK_SECONDS after its last renewal and is renewed three times as often, so the active
scheduler keeps it while it lives, and a standby takes over at most that long after it died (at once after a
clean stop, which releases it). A scheduler that cannot renew (Redis unreachable, or it paused past the
expiry and another took over) stops sending at once.

When each task last ran is kept in Redis too (`<queue>.scheduler.last-run`), not in a local file: a scheduler
taking over continues the schedule where the last one left it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import redis
from celery import beat
from redis.exceptions import LockError, RedisError

from hub.redis_connect import sync_redis_client
from hub.settings import Settings, get_settings

log = logging.getLogger(__name__)


def lock_key(settings: Settings) -> str:
    return f"{settings.celery_queue}.scheduler"


class SchedulerLease:
    """The lock that makes one scheduler the active one: taken when free, renewed while held."""

    def __init__(self, client: redis.Redis, key: str, seconds: float) -> None:
        self.lock = client.lock(key, timeout=seconds, thread_local=False)
        self.seconds = seconds
        self.held = False

    @property
    def renew_seconds(self) -> float:
        return self.seconds / 3

    def hold(self) -> bool:
        """True while this process holds the lock: takes it when it is free, renews it when held."""
        try:
            if self.held:
                self.lock.reacquire()  # LockNotOwnedError: it expired and another took it
            else:
                self.held = bool(self.lock.acquire(blocking=False))
        except (LockError, RedisError) as error:
            if self.held:
                log.warning("scheduler: lost the lock (%r); standing by", error)
            self.held = False
        return self.held

    def release(self) -> None:
        if self.held:
            self.held = False
            try:
                self.lock.release()
            except (LockError, RedisError) as error:
                log.warning("scheduler: could not release the lock (%r); it expires by itself", error)


class SingletonScheduler(beat.Scheduler):
    """Celery beat's scheduler, sending only while it holds the lease."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        settings = get_settings()
        self.redis = sync_redis_client(settings)
        self.lease = SchedulerLease(self.redis, lock_key(settings), settings.scheduler_lock_seconds)
        self.last_run_key = f"{lock_key(settings)}.last-run"
        self._told_standby = False
        super().__init__(*args, **kwargs)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        was_active = self.lease.held
        if not self.lease.hold():
            if not self._told_standby:
                log.info("scheduler: standing by (another scheduler holds %s)", self.lease.lock.name)
                self._told_standby = True
            return self.lease.renew_seconds
        if not was_active:
            log.info("scheduler: active (holding %s)", self.lease.lock.name)
            self._told_standby = False
            self._continue_schedule()
        return float(min(super().tick(*args, **kwargs), self.lease.renew_seconds))

    def reserve(self, entry: beat.ScheduleEntry) -> Any:
        new_entry: beat.ScheduleEntry = super().reserve(entry)  # type: ignore[assignment]
        last_run = new_entry.last_run_at
        try:
            if last_run is not None:
                self.redis.hset(self.last_run_key, entry.name, last_run.isoformat())
        except RedisError as error:
            log.warning("scheduler: could not record the run of %s (%r)", entry.name, error)
        return new_entry

    def _continue_schedule(self) -> None:
        """Takes each task's last run from Redis, where the previous active scheduler recorded it."""
        try:
            recorded = self.redis.hgetall(self.last_run_key)
        except RedisError as error:
            log.warning("scheduler: last runs unknown (%r); each task waits a full interval", error)
            return
        for raw_name, raw_at in recorded.items():
            entry = self.schedule.get(_text(raw_name))
            if entry is not None:
                entry.last_run_at = datetime.fromisoformat(_text(raw_at))
        self._heap = None  # rebuilt from the restored times at the next tick

    def close(self) -> None:
        self.lease.release()  # a standby takes over at once rather than after the expiry
        super().close()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
