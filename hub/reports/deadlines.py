"""When a report is due, and whether it is overdue or was submitted late. Pure.

A region granted a deadline extension for a period (hub.reports.extensions) owes that period's deliveries
by the later of the two dates: `effective_deadline` is the one rule, which `Deadlines.of` applies for every
caller (the report's stored `due_at`, completeness timeliness, reminders, overdue flags).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.reports.models import Period


def quarter_end(period: Period) -> datetime:
    """The first instant after the quarter (UTC)."""
    month = period.quarter * 3 + 1
    year = period.year + (1 if month > 12 else 0)
    return datetime(year, (month - 1) % 12 + 1, 1, tzinfo=UTC)


def quarterly_due(period: Period, due_days: int) -> datetime:
    return quarter_end(period) + timedelta(days=due_days)


def incident_due(occurred_at: datetime, due_hours: int) -> datetime:
    return occurred_at + timedelta(hours=due_hours)


def effective_deadline(base: datetime, extended_to: datetime | None) -> datetime:
    """The deadline in force: the base one, or the extension's when one is granted (never earlier)."""
    return base if extended_to is None or extended_to <= base else extended_to


def is_overdue(due_at: datetime, first_submitted_at: datetime | None, now: datetime) -> bool:
    return first_submitted_at is None and now > due_at


def was_submitted_late(due_at: datetime, first_submitted_at: datetime | None) -> bool:
    return first_submitted_at is not None and first_submitted_at > due_at
