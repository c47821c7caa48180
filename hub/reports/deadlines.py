"""When a report is due, and whether it is overdue or was submitted late. Pure."""

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


def is_overdue(due_at: datetime, first_submitted_at: datetime | None, now: datetime) -> bool:
    return first_submitted_at is None and now > due_at


def was_submitted_late(due_at: datetime, first_submitted_at: datetime | None) -> bool:
    return first_submitted_at is not None and first_submitted_at > due_at
