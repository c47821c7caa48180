"""hub.completeness.compute: cell states at the due instant, and the figures of no, some and all cells."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hub.completeness.compute import Cell, CellState, Delivery, Figures, cell, figures

DUE = datetime(2025, 4, 15, tzinfo=UTC)
TICK = timedelta(microseconds=1)


def test_a_delivery_at_the_due_instant_is_on_time_and_one_tick_later_is_late() -> None:
    assert cell("r", "31.74", DUE, Delivery(at=DUE)).state is CellState.ON_TIME
    assert cell("r", "31.74", DUE, Delivery(at=DUE - timedelta(days=90))).state is CellState.ON_TIME
    assert cell("r", "31.74", DUE, Delivery(at=DUE + TICK)).state is CellState.LATE


def test_a_cell_keeps_the_delivery_and_whether_it_was_verified() -> None:
    late = cell("req-1", "31.74", DUE, Delivery(at=DUE + timedelta(days=2), verified=True))
    assert late == Cell("req-1", "31.74", CellState.LATE, True, DUE + timedelta(days=2))


def test_no_delivery_is_missing_and_unverified() -> None:
    assert cell("req-1", "31.74", DUE, None) == Cell("req-1", "31.74", CellState.MISSING, False, None)


def test_no_cells_give_zero_counts_and_no_rates() -> None:
    empty = figures([])
    assert empty == Figures()
    assert (empty.delivered, empty.missing) == (0, 0)
    assert empty.reporting_rate is None
    assert empty.on_time_rate is None


def test_figures_count_each_state_and_the_rates_follow_dhis2() -> None:
    cells = (
        cell(f"req-{n}", "31.74", DUE, delivery)
        for n, delivery in enumerate(
            [
                Delivery(at=DUE, verified=True),
                Delivery(at=DUE - TICK),
                Delivery(at=DUE + TICK, verified=True),  # late but verified: still counted as verified
                None,
            ]
        )
    )
    counted = figures(cells)  # any iterable, read once
    assert counted == Figures(expected=4, on_time=2, late=1, verified=2)
    assert (counted.delivered, counted.missing) == (3, 1)
    assert counted.reporting_rate == pytest.approx(0.75)
    assert counted.on_time_rate == pytest.approx(0.5)


def test_all_missing_is_a_rate_of_zero_not_none() -> None:
    counted = figures([cell("r", code, DUE, None) for code in ("31.71", "31.74")])
    assert (counted.expected, counted.missing) == (2, 2)
    assert counted.reporting_rate == 0
    assert counted.on_time_rate == 0
