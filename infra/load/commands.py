"""`make load ARGS="--commands N"`: the MongoDB commands each operation of the load's mix sends.

Instead of a timed step, N targets of the mix (infra.load.targets) go one at a time through an app built
in this process with the load's own settings (the database the load seeded, production settings), and a
pymongo command listener counts what each sends, by operation and command name. Per request, so a change
that removes a lookup shows as a smaller figure here before it shows as CPU saved in the stand-in.
Written to `.local/load/commands.json`.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import os
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
from pymongo import monitoring

from infra.load.summary import operation
from infra.load.targets import TargetBuilder

# Connection handshakes and the driver's own housekeeping: not the operation's work.
HOUSEKEEPING = frozenset(
    {"hello", "isMaster", "ismaster", "ping", "endSessions", "buildInfo", "saslStart", "saslContinue"}
)


class CommandTally(monitoring.CommandListener):
    """Counts the commands started, under the operation currently being sent (`current`)."""

    def __init__(self) -> None:
        self.current = ""
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.current and event.command_name not in HOUSEKEEPING:
            target = event.command.get(event.command_name)
            where = f" {target}" if isinstance(target, str) else ""
            self.counts[self.current][f"{event.command_name}{where}"] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None


@contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    """This process runs with the load's PANTAU_* settings while the block runs."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def per_request(tally: CommandTally, sent: Counter[str]) -> dict[str, dict[str, Any]]:
    """Per operation: requests sent, MongoDB commands per request, and per request by command name."""
    found: dict[str, dict[str, Any]] = {}
    for name, requests in sorted(sent.items()):
        counts = tally.counts.get(name, Counter())
        found[name] = {
            "requests": requests,
            "commands_per_request": round(sum(counts.values()) / requests, 2),
            "by_command": {command: round(n / requests, 2) for command, n in counts.most_common()},
        }
    return found


class MemoryProbe:
    """tracemalloc snapshots and live object counts by type, taken between requests: what grows between the
    first third of the requests (warm-up: caches, pools, lazily built parsers) and the end is either bounded
    warm-up that a longer run would show flat, or a leak that grows with the number of requests."""

    TOP = 15

    def __init__(self) -> None:
        tracemalloc.start(10)
        self.marks: list[tuple[int, tracemalloc.Snapshot, Counter[str]]] = []

    def mark(self, requests: int) -> None:
        gc.collect()
        kinds = Counter(type(thing).__name__ for thing in gc.get_objects())
        self.marks.append((requests, tracemalloc.take_snapshot(), kinds))

    def report(self) -> dict[str, Any]:
        (first, early, early_kinds), (last, late, late_kinds) = self.marks[1], self.marks[-1]
        filters = [tracemalloc.Filter(False, tracemalloc.__file__)]
        grown = late.filter_traces(filters).compare_to(early.filter_traces(filters), "traceback")
        kinds = {
            name: late_kinds[name] - early_kinds.get(name, 0)
            for name, _ in (late_kinds - early_kinds).most_common(self.TOP)
        }
        return {
            "between_requests": [first, last],
            "traced_mib": [
                round(sum(s.size for s in snap.statistics("filename")) / 2**20, 2)
                for _, snap, _ in self.marks
            ],
            "marks": [requests for requests, _, _ in self.marks],
            "grown_kib": [
                {
                    "kib": round(stat.size_diff / 1024, 1),
                    "count": stat.count_diff,
                    "where": [f"{frame.filename}:{frame.lineno}" for frame in stat.traceback[-4:]],
                }
                for stat in grown[: self.TOP]
            ],
            "objects_grown": kinds,
        }


async def _send(
    env: dict[str, str], builder: TargetBuilder, count: int, probe: MemoryProbe | None = None
) -> dict[str, dict[str, Any]]:
    from hub.app import create_app
    from hub.settings import load_settings

    tally = CommandTally()
    monitoring.register(tally)  # before the app's client exists: pymongo applies it to later clients
    app = create_app(load_settings())
    sent: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://load", timeout=120) as http:
            marks = {0, count // 3, 2 * count // 3, count - 1} if probe is not None else set()
            for target, index in zip(builder.targets(), range(count), strict=False):
                if probe is not None and index in marks:
                    probe.mark(index)
                url = str(target["url"])
                name = operation(url)
                split = urlsplit(url)
                headers = {key: values[0] for key, values in dict(target["header"]).items()}  # type: ignore[call-overload]
                tally.current = name
                response = await http.post(
                    f"{split.path}?{split.query}",
                    content=base64.b64decode(str(target["body"])),
                    headers=headers,
                )
                tally.current = ""
                sent[name] += 1
                if response.status_code != 200 or b'"errors":[{' in response.content:
                    failed[name] += 1
    result = per_request(tally, sent)
    for name, n in failed.items():
        result[name]["failed"] = n
    if probe is not None:
        result["memory"] = probe.report()
    return result


def count_commands(
    env: dict[str, str], builder: TargetBuilder, count: int, memory: bool = False
) -> dict[str, dict[str, Any]]:
    with environment(env):
        return asyncio.run(_send(env, builder, count, MemoryProbe() if memory else None))
