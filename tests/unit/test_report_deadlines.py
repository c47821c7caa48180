"""hub.reports.deadlines: quarter ends, due dates and lateness, at their boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from hub.reports.deadlines import incident_due, is_overdue, quarter_end, quarterly_due, was_submitted_late
from hub.reports.models import Period

TICK = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("year", "quarter", "end"),
    [
        (2025, 1, datetime(2025, 4, 1, tzinfo=UTC)),
        (2025, 2, datetime(2025, 7, 1, tzinfo=UTC)),
        (2025, 3, datetime(2025, 10, 1, tzinfo=UTC)),
        (2025, 4, datetime(2026, 1, 1, tzinfo=UTC)),  # the year turns over
        (2100, 4, datetime(2101, 1, 1, tzinfo=UTC)),  # the last period there can be
    ],
)
def test_a_quarter_ends_at_the_first_instant_of_the_next(year: int, quarter: int, end: datetime) -> None:
    assert quarter_end(Period(year=year, quarter=quarter)) == end


def test_quarterly_reports_are_due_some_days_after_the_quarter() -> None:
    assert quarterly_due(Period(year=2025, quarter=1), 0) == datetime(2025, 4, 1, tzinfo=UTC)
    assert quarterly_due(Period(year=2025, quarter=1), 14) == datetime(2025, 4, 15, tzinfo=UTC)
    assert quarterly_due(Period(year=2025, quarter=4), 31) == datetime(2026, 2, 1, tzinfo=UTC)


def test_a_leap_year_adds_no_day_to_the_quarter_but_counts_in_the_days_after() -> None:
    assert quarter_end(Period(year=2024, quarter=1)) == datetime(2024, 4, 1, tzinfo=UTC)
    assert quarterly_due(Period(year=2023, quarter=4), 60) == datetime(2024, 3, 1, tzinfo=UTC)
    assert quarterly_due(Period(year=2024, quarter=4), 60) == datetime(2025, 3, 2, tzinfo=UTC)


@pytest.mark.parametrize(("year", "quarter"), [(2025, 0), (2025, 5), (1999, 4), (2101, 1)])
def test_a_period_outside_the_quarters_is_refused(year: int, quarter: int) -> None:
    with pytest.raises(ValidationError):
        Period(year=year, quarter=quarter)


def test_an_incident_is_due_hours_after_it_happened_across_the_year_end() -> None:
    occurred = datetime(2025, 12, 31, 20, 30, tzinfo=UTC)
    assert incident_due(occurred, 24) == datetime(2026, 1, 1, 20, 30, tzinfo=UTC)
    assert incident_due(occurred, 0) == occurred


def test_overdue_only_after_the_due_instant_and_only_while_never_submitted() -> None:
    due = datetime(2025, 4, 15, tzinfo=UTC)
    assert not is_overdue(due, None, now=due)
    assert is_overdue(due, None, now=due + TICK)
    assert not is_overdue(due, None, now=due - TICK)
    # Once submitted a report is never overdue again, even when it was late or is back in draft.
    assert not is_overdue(due, due + timedelta(days=3), now=due + timedelta(days=30))


def test_submitted_late_means_first_submitted_after_the_due_instant() -> None:
    due = datetime(2025, 4, 15, tzinfo=UTC)
    assert not was_submitted_late(due, due)
    assert was_submitted_late(due, due + TICK)
    assert not was_submitted_late(due, due - timedelta(days=1))
    assert not was_submitted_late(due, None)
