from __future__ import annotations

from datetime import datetime

from beanie import Document
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from hub.core.clock import utcnow


class EarlyWarning(Document):
    """One raised warning: a region flagged by the periodic check. `key` (region and aligned window) is
    unique, so concurrent checks raise it once; `event_id` is set once its event is in the outbox."""

    key: str
    region_code: str
    region_path: list[str]
    window_start: datetime
    window_end: datetime
    recent_count: int
    baseline_mean: float
    baseline_sd: float
    baseline_windows: int
    score: float
    raised_at: datetime
    event_id: str | None = None
    created_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "early_warnings"
        indexes = [
            IndexModel([("key", ASCENDING)], unique=True, name="one_warning_per_region_window"),
            IndexModel([("region_code", ASCENDING), ("raised_at", DESCENDING)]),
            IndexModel([("event_id", ASCENDING), ("created_at", ASCENDING)]),
        ]
