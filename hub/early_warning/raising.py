"""Raising early warnings as events, at most once per region and window.

Each flagged region is claimed by inserting an `EarlyWarning` whose unique key is the region and the aligned
window (`window_days` periods counted from the epoch) of the check, then its event is emitted and its id
stored. A region raised less than a window ago is not raised again, so a spike that stays in the sliding
recent window across an aligned boundary raises one event, not two. A claim whose event did not get stored
(a crash between the two steps) is completed by a later check: the event is looked up by the warning key
in its data first, so it is never emitted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo.errors import DuplicateKeyError

from hub.core.clock import utcnow
from hub.early_warning.models import EarlyWarning
from hub.early_warning.service import Params, RegionSignal, flagged_regions
from hub.events.bus import emit
from hub.events.models import Event, EventKind

ACTOR = "system:early-warning"
CLAIM_LEASE = timedelta(minutes=10)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class RaiseOutcome:
    flagged: int = 0
    raised: int = 0
    completed: int = 0  # claims of an earlier check whose event is now emitted

    def as_dict(self) -> dict[str, int]:
        return {"flagged": self.flagged, "raised": self.raised, "completed": self.completed}


def window_key(region_code: str, now: datetime, window_days: int) -> str:
    index = (now - _EPOCH) // timedelta(days=window_days)
    start = _EPOCH + timedelta(days=index * window_days)
    return f"{region_code}|{start.date().isoformat()}/{window_days}d"


def _warning(signal: RegionSignal, key: str, now: datetime) -> EarlyWarning:
    assessment = signal.assessment
    return EarlyWarning(
        key=key,
        region_code=signal.region.id,
        region_path=signal.region.subtree_codes,
        window_start=signal.window_start,
        window_end=signal.window_end,
        recent_count=assessment.recent,
        baseline_mean=assessment.baseline.mean,
        baseline_sd=assessment.baseline.sd,
        baseline_windows=assessment.baseline.windows,
        score=assessment.score,
        raised_at=now,
    )


async def _emit(warning: EarlyWarning) -> str:
    event = await emit(
        EventKind.EARLY_WARNING,
        target_type="Region",
        target_id=warning.region_code,
        region_code=warning.region_code,
        region_path=warning.region_path,
        actor=ACTOR,
        data={
            "warningKey": warning.key,
            "recentCount": warning.recent_count,
            "baselineMean": round(warning.baseline_mean, 3),
            "baselineSd": round(warning.baseline_sd, 3),
            "baselineWindows": warning.baseline_windows,
            "score": round(warning.score, 3),
            "windowStart": warning.window_start.isoformat(),
            "windowEnd": warning.window_end.isoformat(),
        },
    )
    event_id = str(event.id)
    await EarlyWarning.get_pymongo_collection().update_one(
        {"_id": warning.id}, {"$set": {"event_id": event_id}}
    )
    return event_id


async def _complete_stale_claims() -> int:
    """Emits the events of claims a crashed check left without one (unless the event exists after all).
    Leases run on the wall clock (`created_at`), whatever time the checks were run as of."""
    stale = await EarlyWarning.find(
        {"event_id": None, "created_at": {"$lt": utcnow() - CLAIM_LEASE}}
    ).to_list()
    if not stale:
        return 0
    keys = [warning.key for warning in stale]
    found = await Event.find(
        {"kind": EventKind.EARLY_WARNING.value, "data.warningKey": {"$in": keys}}
    ).to_list()
    emitted = {str(event.data.get("warningKey")): str(event.id) for event in found}
    completed = 0
    for warning in stale:
        if warning.key in emitted:
            await EarlyWarning.get_pymongo_collection().update_one(
                {"_id": warning.id}, {"$set": {"event_id": emitted[warning.key]}}
            )
        else:
            await _emit(warning)
            completed += 1
    return completed


async def raise_warnings(now: datetime, params: Params) -> RaiseOutcome:
    """Checks every region as of `now` (the task's run time; a given time for a backfill) and raises the
    new warnings."""
    completed = await _complete_stale_claims()
    flagged = await flagged_regions(now, params)
    if not flagged:
        return RaiseOutcome(completed=completed)
    codes = [signal.region.id for signal in flagged]
    recent = await EarlyWarning.find(
        {"region_code": {"$in": codes}, "raised_at": {"$gt": now - params.window, "$lte": now}}
    ).to_list()
    already = {warning.region_code for warning in recent}
    raised = 0
    for signal in flagged:
        if signal.region.id in already:
            continue
        warning = _warning(signal, window_key(signal.region.id, now, params.window_days), now)
        try:
            await warning.insert()
        except DuplicateKeyError:
            continue  # a concurrent check claimed it
        await _emit(warning)
        raised += 1
    return RaiseOutcome(flagged=len(flagged), raised=raised, completed=completed)
