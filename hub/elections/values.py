"""Reading the support indicators out of a report's stored `values` (as hub/reports/validation.py stores
them: booleans, numbers, whole rupiah, ISO dates). A missing or unreadable value reads as None."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any


def as_bool(raw: Any) -> bool | None:
    return raw if isinstance(raw, bool) else None


def as_number(raw: Any) -> float | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        return None
    return float(raw)


def as_money(raw: Any) -> int | None:
    number = as_number(raw)
    return None if number is None else int(number)


def as_date(raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip()[:10])
        except ValueError:
            return None
    return None
