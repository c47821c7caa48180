"""The scheduler is a safe singleton: of two `pantau scheduler` processes only the one holding the Redis lock
sends periodic tasks; the other stands by, and takes over when the first stops cleanly (lock released) or
dies (lock expired), continuing the schedule where the first left it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hub.clients import Clients
from hub.settings import Settings
from tests.faults import drop_queue
from tests.processes import ROOT, settings_env, stop
from workers.beat import lock_key

SENT = "Scheduler: Sending due task deliver-webhooks"


@pytest.fixture
async def own(settings: Settings, seeded: Clients) -> AsyncIterator[Settings]:
    """A deployment of its own (queue, lock), whose webhook job is due every second."""
    mine = settings.model_copy(
        update={
            "celery_queue": f"{settings.celery_queue}-beat-{uuid.uuid4().hex[:6]}",
            "webhook_interval_seconds": 1.0,
            "scheduler_lock_seconds": 3.0,
        }
    )
    yield mine
    await drop_queue(seeded.redis, mine.celery_queue)


@contextmanager
def scheduler(settings: Settings, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "hub.cli", "scheduler"],
            cwd=ROOT,
            env=settings_env(settings),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        stop(process)


def _read(log: Path) -> str:
    return log.read_text(errors="replace")


async def _until_logged(log: Path, text: str, times: int = 1, seconds: float = 60) -> None:
    for _ in range(int(seconds * 10)):
        if _read(log).count(text) >= times:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} not logged {times} times:\n{_read(log)[-3000:]}")


async def test_one_scheduler_sends_the_other_stands_by_and_takes_over(
    own: Settings, seeded: Clients, tmp_path: Path
) -> None:
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    with scheduler(own, first_log) as first:
        await _until_logged(first_log, "scheduler: active")
        with scheduler(own, second_log) as second:
            await _until_logged(second_log, "scheduler: standing by")
            sent_before = _read(first_log).count(SENT)
            await _until_logged(first_log, SENT, times=sent_before + 3)  # the first goes on sending
            assert SENT not in _read(second_log)  # the second never sent anything
            assert "scheduler: active" not in _read(second_log)

            # The first dies without a word (no release): the second takes over once the lock expires.
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            await _until_logged(second_log, "scheduler: active")
            await _until_logged(second_log, SENT, times=2)
            # It continued the schedule the first recorded in Redis.
            recorded = await seeded.redis.hgetall(f"{lock_key(own)}.last-run")
            assert b"deliver-webhooks" in recorded

            # A third one, while the second runs, stands by too; the second stops cleanly (releasing the
            # lock) and the third takes over.
            third_log = tmp_path / "third.log"
            with scheduler(own, third_log):
                await _until_logged(third_log, "scheduler: standing by")
                stop(second)
                await _until_logged(third_log, "scheduler: active")
                await _until_logged(third_log, SENT)
    assert await seeded.redis.exists(lock_key(own)) == 0  # released by the last one on its way out


def test_lock_key_is_per_deployment(own: Settings, settings: Settings) -> None:
    assert lock_key(own) != lock_key(settings)
    assert os.path.basename(lock_key(own)).startswith(own.celery_queue)
