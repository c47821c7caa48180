"""Processes a test starts: a Celery worker (the `worker` fixture's, or a test's own) and `pantau` commands,
with the session's settings passed as PANTAU_* variables, and their clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hub.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as PANTAU_* variables, for subprocesses (worker, server)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PANTAU_")}
    for name, value in settings.model_dump(mode="json").items():
        if value is None:
            continue
        if hasattr(getattr(settings, name), "get_secret_value"):
            value = getattr(settings, name).get_secret_value()
        env[f"PANTAU_{name.upper()}"] = str(value)
    env["PANTAU_ENV_FILE"] = "/nonexistent"
    return env


def stop(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL if the process has not ended within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class WorkerProcess:
    """`pantau worker` in a process group of its own: its pool children and their OCR tools are in it too."""

    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def group(self) -> list[tuple[int, int, str]]:
        """(pid, parent pid, command name) of every living process in the worker's group."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            state, parent, group = stat[stat.rindex(")") + 2 :].split()[:3]
            if int(group) == self.pid and state != "Z":
                found.append((int(entry.name), int(parent), name))
        return found

    def kill(self) -> None:
        """SIGKILL to the whole group at once: no warm shutdown, no message handed back, no task finished."""
        if self.process.poll() is None:
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10  # the pool children and their tools die (and are reaped) too
        while self.group() and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), as a deployment stops a worker; SIGKILL to the group if it does not end in
        time."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


def start_worker(
    settings: Settings, log: Path, *, concurrency: int = 1, timeout: float = 60, queues: str | None = None
) -> WorkerProcess:
    """`queues`: the queue groups it consumes (`pantau worker --queues`); default all."""
    chosen = ["--queues", queues] if queues else []
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "hub.cli", "worker", "--concurrency", str(concurrency), *chosen],
            cwd=ROOT,
            env=settings_env(settings),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killing it never touches the test run
        )
    worker = WorkerProcess(process, log)
    deadline = time.monotonic() + timeout
    while "ready." not in worker.text():
        if process.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise RuntimeError(f"the worker did not start:\n{worker.text()[-3000:]}")
        time.sleep(0.1)
    return worker


@contextmanager
def running_worker(settings: Settings, log: Path, *, concurrency: int = 1) -> Iterator[WorkerProcess]:
    """A real Celery worker on `settings.celery_queue` while the block runs; stopped warmly afterwards."""
    worker = start_worker(settings, log, concurrency=concurrency)
    try:
        yield worker
    finally:
        worker.stop()
