"""Early-warning signals for every region at once: one aggregation (incidents per region and window) and
the cached region tree, whatever the number of regions.

A region's incidents are those it filed itself (`region_code`), so a spike in one regency flags that regency
and not its province as well. Windows end at `now` and are `window_days` long: window 0 is the recent one,
windows 1..`baseline_windows` its baseline, (end - days, end] each, by `incident.occurred_at`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from hub.access.scope import Scope, scope_to_mongo
from hub.core.regions import mongo_under
from hub.early_warning.stats import Assessment, Thresholds, assess
from hub.regions.models import Region
from hub.regions.services import region_tree
from hub.reports.models import Report, ReportStatus, ReportType
from hub.settings import Settings

DAY_MS = 86_400_000


@dataclass(frozen=True)
class Params:
    window_days: int = 7
    baseline_windows: int = 12
    thresholds: Thresholds = field(default_factory=Thresholds)

    @classmethod
    def of(cls, settings: Settings) -> Params:
        return cls(
            window_days=settings.early_warning_window_days,
            baseline_windows=settings.early_warning_baseline_windows,
            thresholds=Thresholds(
                threshold=settings.early_warning_threshold, min_count=settings.early_warning_min_count
            ),
        )

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)


@dataclass(frozen=True)
class RegionSignal:
    region: Region
    window_start: datetime
    window_end: datetime
    assessment: Assessment

    @property
    def flagged(self) -> bool:
        return self.assessment.flagged


def counted_incidents(since: datetime, until: datetime, *, inclusive_end: bool = False) -> dict[str, Any]:
    """Incident reports that count (every status but draft) that occurred in [since, until), or
    (since, until] with `inclusive_end`."""
    occurred = {"$gt": since, "$lte": until} if inclusive_end else {"$gte": since, "$lt": until}
    return {
        "type": ReportType.INCIDENT.value,
        "status": {"$ne": ReportStatus.DRAFT.value},
        "incident.occurred_at": occurred,
    }


async def window_counts(
    now: datetime, params: Params, scope: Scope, root: str | None
) -> dict[str, list[int]]:
    """Region code → counts per window, index 0 the recent window."""
    windows = params.baseline_windows + 1
    criteria = counted_incidents(now - windows * params.window, now, inclusive_end=True)
    if root is not None:
        criteria |= mongo_under(root)
    pipeline: list[dict[str, Any]] = [
        {"$match": {"$and": [criteria, scope_to_mongo(scope, report_type_field="type")]}},
        {
            "$group": {
                "_id": {
                    "region": "$region_code",
                    "window": {
                        "$floor": {
                            "$divide": [
                                {"$subtract": [now, "$incident.occurred_at"]},
                                params.window_days * DAY_MS,
                            ]
                        }
                    },
                },
                "count": {"$sum": 1},
            }
        },
    ]
    cursor = await Report.get_pymongo_collection().aggregate(pipeline)
    counts: dict[str, list[int]] = {}
    async for row in cursor:
        index = int(row["_id"]["window"])
        if 0 <= index < windows:
            counts.setdefault(row["_id"]["region"], [0] * windows)[index] += int(row["count"])
    return counts


async def assess_regions(
    now: datetime, params: Params, *, scope: Scope | None = None, root: str | None = None
) -> list[RegionSignal]:
    """Every region (under `root`, within `scope`) with an incident in the recent or baseline windows,
    assessed; regions without any would never be flagged. Ordered by score, highest first."""
    counts = await window_counts(now, params, scope or Scope.everything(), root)
    if not counts:
        return []
    regions = {region.id: region for region in await region_tree()}
    signals = [
        RegionSignal(
            region=regions[code],
            window_start=now - params.window,
            window_end=now,
            assessment=assess(found[0], found[1:], params.thresholds),
        )
        for code, found in counts.items()
        if code in regions
    ]
    return sorted(signals, key=lambda signal: (-signal.assessment.score, signal.region.id))


async def flagged_regions(
    now: datetime, params: Params, *, scope: Scope | None = None, root: str | None = None
) -> list[RegionSignal]:
    return [signal for signal in await assess_regions(now, params, scope=scope, root=root) if signal.flagged]
