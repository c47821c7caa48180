"""Counts the MongoDB commands this process sends, for N+1 tests. Registered globally before any client
exists (pymongo applies global listeners to clients created afterwards)."""

from __future__ import annotations

from collections import Counter

from pymongo import monitoring

IGNORED = frozenset(
    {"hello", "isMaster", "ismaster", "ping", "endSessions", "buildInfo", "saslStart", "saslContinue"}
)


class CommandCounter(monitoring.CommandListener):
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name not in IGNORED:
            self.counts[event.command_name] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None

    def reset(self) -> None:
        self.counts.clear()

    @property
    def total(self) -> int:
        return sum(self.counts.values())


COMMANDS = CommandCounter()
monitoring.register(COMMANDS)
