"""The drill's result (infra.drill): the figures issue 13 names are derived from the detailed ones, and a
failure after the last node came back counts against the drill, while one inside a kill window does not."""

from __future__ import annotations

from infra.drill.__main__ import errors_after_recovery, errors_by_window, headline
from infra.drill.load import Load, Outcome
from infra.drill.scenario import KillWindow


def _load(*outcomes: Outcome) -> Load:
    load = Load("http://drill.test", "drill", "secret")
    load.outcomes.extend(outcomes)
    return load


def test_a_failure_after_the_last_recovery_counts_and_one_inside_a_window_does_not() -> None:
    windows = [KillWindow("es-1", killed_at=10, restarted_at=30, ready_at=40)]
    load = _load(
        Outcome("write", at=12, ended=13, error="connection refused"),  # inside the window
        Outcome("read", at=44, ended=44.5, error=None),
        Outcome("read", at=46, ended=47, error="HTTP 500"),  # after ready + 5 s
    )
    per_window, outside = errors_by_window(load, windows)
    assert per_window[0]["failed_writes"] == 1 and outside == 1
    assert errors_after_recovery(load, windows) == 1
    assert errors_after_recovery(_load(*load.outcomes[:2]), windows) == 0


def test_the_headline_figures_come_from_the_detailed_ones() -> None:
    result = {
        "writes_acknowledged": 354,
        "lost": 2,
        "check": {"ok": False, "counts": {"missing_object": 1, "orphan_object": 0, "stale_index_entry": 3}},
        "requests_and_errors_during_kill_windows": [
            {"node": "es-1", "writes": 72, "reads": 72, "failed_writes": 1, "failed_reads": 2},
            {"node": "api-1", "writes": 67, "reads": 64, "failed_writes": 0, "failed_reads": 4},
        ],
        "errors_after_recovery": 5,
    }
    assert headline(result) == {
        "writes_accepted": 354,
        "writes_lost": 2,
        "mismatches": 4,
        "errors_during_faults": 7,
        "errors_after_recovery": 5,
    }
