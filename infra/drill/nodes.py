"""The drill's processes: each started in a session of its own (its pid is its process group), with its output
in `.local/drill/logs/<name>.log`; killed with SIGKILL to the whole group (a worker's pool children and
their OCR tools die with it, as on a lost machine) and started again with the same command and data."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from infra.local.process import Launch, group_members, start_detached


class DrillFailed(RuntimeError):
    pass


@dataclass
class Node:
    """One process of the drill and how to tell it is ready."""

    name: str
    launch: Launch
    ready: Callable[[], bool]
    logs: Path
    start_timeout: float = 120.0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    log_mark: int = 0  # the log's size when the process was last started

    def log_since_start(self) -> str:
        try:
            with self.log_path.open("rb") as log:
                log.seek(self.log_mark)
                return log.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    @property
    def log_path(self) -> Path:
        return self.logs / f"{self.name}.log"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None and self.process.poll() is None else None

    def start(self) -> None:
        if self.pid is not None:
            return
        self.log_mark = self.log_path.stat().st_size if self.log_path.is_file() else 0
        self.process = start_detached(
            self.launch, log_path=self.log_path, pid_file=self.logs / f"{self.name}.pid"
        )

    def wait_ready(self, timeout: float | None = None) -> float:
        """Seconds until `ready` held; DrillFailed when the process ended or the time ran out."""
        started = time.monotonic()
        deadline = started + (timeout or self.start_timeout)
        while time.monotonic() < deadline:
            if self.pid is None:
                raise DrillFailed(f"{self.name} exited during start-up; see {self.log_path}")
            if self.ready():
                return time.monotonic() - started
            time.sleep(0.5)
        raise DrillFailed(
            f"{self.name} was not ready after {timeout or self.start_timeout:.0f} s; see {self.log_path}"
        )

    def members(self) -> list[int]:
        pid = self.pid
        return group_members(pid) if pid is not None else []

    def kill(self) -> None:
        """SIGKILL to the process group, then reap it."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 10
        while group_members(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to the group, SIGKILL after `timeout` (the end of the drill)."""
        if self.pid is None or self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def stop_all(nodes: list[Node]) -> None:
    for node in reversed(nodes):
        node.stop()
