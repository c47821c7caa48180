"""Where the test time goes: each session writes its tests' durations (set-up, call and tear-down, summed per
test) to .local/logs/test-durations-<object store>.json when it ends; `make test-slow` (`python -m
tests.durations [N]`) prints the slowest tests and modules of the last runs. A report: it runs nothing."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

LOGS = Path(__file__).resolve().parents[1] / ".local" / "logs"


class DurationLog:
    """A pytest plugin: collects each test's phases and writes them at the end of the session."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seconds: dict[str, float] = defaultdict(float)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds[report.nodeid] += report.duration

    def pytest_sessionfinish(self) -> None:
        if self.seconds:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.seconds, indent=0, sort_keys=True))


def register(config: pytest.Config, store: str) -> None:
    if not hasattr(config, "workerinput"):  # one file per session
        config.pluginmanager.register(DurationLog(LOGS / f"test-durations-{store}.json"), "duration-log")


def report(count: int) -> str:
    seconds: dict[str, float] = {}
    for path in sorted(LOGS.glob("test-durations-*.json")):
        seconds.update(
            {
                f"{node} ({path.stem.rsplit('-', 1)[-1]})": value
                for node, value in json.loads(path.read_text()).items()
            }
        )
    if not seconds:
        return "no durations yet: run the tests first"
    modules: dict[str, float] = defaultdict(float)
    for node, value in seconds.items():
        modules[node.split("::", 1)[0]] += value
    lines = [f"{len(seconds)} tests, {sum(seconds.values()):.0f} s in all; the slowest tests:"]
    lines += [
        f"{value:8.2f} s  {node}" for node, value in sorted(seconds.items(), key=lambda x: -x[1])[:count]
    ]
    lines.append("the slowest modules:")
    lines += [
        f"{value:8.2f} s  {name}" for name, value in sorted(modules.items(), key=lambda x: -x[1])[:count]
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
