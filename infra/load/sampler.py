"""CPU and resident memory of every process of the load, read from /proc every few seconds in a thread.

A "process" here is a process group (an API process, a Celery worker with its pool children, vegeta, a shared
service with its children): its CPU is the summed user+system time of its live members, its memory their
summed RSS. The shared services are other developers' too: their CPU counts everyone's work.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infra.load.summary import rss_growth
from infra.local.process import group_members

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def usage(pids: list[int]) -> tuple[float, int]:
    """(CPU seconds, RSS bytes) summed over `pids` that are still there."""
    cpu, rss = 0.0, 0
    for pid in pids:
        try:
            raw = Path(f"/proc/{pid}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        fields = raw[raw.rfind(")") + 2 :].split()
        cpu += (int(fields[11]) + int(fields[12])) / TICKS
        rss += int(fields[21]) * PAGE
    return cpu, rss


@dataclass
class Sampler:
    groups: dict[str, Callable[[], int | None]]  # name -> the process group id now (None: not running)
    interval: float = 5.0
    series: dict[str, list[tuple[float, float, int]]] = field(default_factory=dict)  # (t, cpu s, rss)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        now = time.monotonic()
        for name, pgid in self.groups.items():
            group = pgid()
            if group is None:
                continue
            cpu, rss = usage(group_members(group))
            self.series.setdefault(name, []).append((now, cpu, rss))

    def start(self) -> None:
        self.sample()

        def loop() -> None:
            while not self._stop.wait(self.interval):
                self.sample()

        self._thread = threading.Thread(target=loop, name="load-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()

    def figures(
        self, warmup_s: float, requests: int, window_s: float | None = None
    ) -> dict[str, dict[str, Any]]:
        """Per process: its CPU as a share of one core over the run and per request sent (what it costs,
        whatever else the machine was doing), and its memory after warm-up."""
        found: dict[str, dict[str, Any]] = {}
        for name, points in self.series.items():
            span = points[-1][0] - points[0][0]
            spent = max(0.0, points[-1][1] - points[0][1])
            memory = rss_growth([(t, float(rss)) for t, _, rss in points], warmup_s, window_s)
            found[name] = {
                "cpu_pct_of_core": round(spent / span * 100, 1) if span else 0.0,
                "cpu_ms_per_request": round(spent * 1000 / requests, 2) if requests else 0.0,
                **memory,
            }
        return found
