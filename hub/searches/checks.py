"""The periodic check of saved searches that notify: for each, count the records created since its last
check that its owner may see now, and when there are any, notify the owner once.

Running the search is not this package's business: a `SavedSearchRunner` does it (the worker plugs in the
search index). The runner also says up to when the index is complete (`indexed_until`), so a record that is
slow to be indexed (a scan being OCRed) falls into a later window instead of being skipped.

Safe to run twice, and in two workers at once: a check first takes a lease on the saved search and records
the window it claimed; the notification's key names the saved search and the window's end, and the window
is advanced only from the start that was read. A run that dies half-way leaves its window claimed: the next
run checks that same window, so it is notified exactly once.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Protocol

from beanie import PydanticObjectId

from hub.access.models import User
from hub.access.principal import Principal
from hub.access.sessions import principal_for_user
from hub.core.clock import storable_time
from hub.i18n import Text
from hub.notifications.models import NotificationKind
from hub.notifications.service import NotificationDraft, notify
from hub.searches.models import SavedSearch

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)
BATCH = 200


class SavedSearchRunner(Protocol):
    async def indexed_until(self, now: datetime) -> datetime:
        """A moment (at most `now`) up to which every record created is searchable."""
        ...

    async def count_new(
        self, principal: Principal, saved: SavedSearch, *, after: datetime, until: datetime
    ) -> int:
        """The hits of `saved` that `principal` may see among the records created in (after, until]."""
        ...


@dataclass
class CheckOutcome:
    checked: int = 0
    notified: int = 0
    skipped: int = 0  # owner gone or inactive, or another run holds or has done the window
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def notification_key(saved_search_id: object, window_end: datetime) -> str:
    return f"saved_search:{saved_search_id}:{window_end.isoformat()}"


def _draft(saved: SavedSearch, count: int, start: datetime, end: datetime) -> NotificationDraft:
    number = "one" if count == 1 else "many"
    window = {"start": f"{start:%Y-%m-%d %H:%M}", "end": f"{end:%Y-%m-%d %H:%M}"}
    return NotificationDraft(
        user_id=saved.user_id,
        kind=NotificationKind.SAVED_SEARCH,
        title=Text(f"notice.saved_search.title.{number}", count=count, name=saved.name),
        body=Text(f"notice.saved_search.body.{number}", count=count, name=saved.name, **window),
        key=notification_key(saved.id, end),
        target_type="SavedSearch",
        target_id=str(saved.id),
    )


async def _claim(saved: SavedSearch, end: datetime, now: datetime) -> bool:
    """Takes the lease on the saved search for the window ending at `end`; False when another run holds it,
    the window moved on meanwhile, or notifications were switched off."""
    result = await SavedSearch.get_pymongo_collection().update_one(
        {
            "_id": saved.id,
            "notify": True,
            "last_checked_at": saved.last_checked_at,
            "$or": [{"check_lease_until": None}, {"check_lease_until": {"$lte": now}}],
        },
        {"$set": {"check_lease_until": now + LEASE, "check_window_end": end}},
    )
    return result.modified_count == 1


async def _release(saved_id: PydanticObjectId | None) -> None:
    """Gives the lease back after a failure, keeping the claimed window for the next run."""
    try:
        await SavedSearch.get_pymongo_collection().update_one(
            {"_id": saved_id}, {"$set": {"check_lease_until": None}}
        )
    except Exception:  # the lease runs out by itself
        log.warning("could not release the check lease of saved search %s", saved_id)


async def check_one(
    runner: SavedSearchRunner, saved: SavedSearch, owner: Principal, window_end: datetime, now: datetime
) -> bool | None:
    """Checks one saved search: True when a notification was written, False when there was nothing new,
    None when it was not checked (nothing to check, or another run holds it)."""
    start = saved.last_checked_at
    claimed = saved.check_window_end
    end = claimed if claimed is not None and claimed > start else window_end
    if end <= start or not await _claim(saved, end, now):
        return None
    try:
        count = await runner.count_new(owner, saved, after=start, until=end)
        sent = await notify(_draft(saved, count, start, end)) if count else None
        await SavedSearch.get_pymongo_collection().update_one(
            {"_id": saved.id, "last_checked_at": start},
            {"$set": {"last_checked_at": end, "check_lease_until": None, "check_window_end": None}},
        )
    except BaseException:
        await _release(saved.id)
        raise
    return sent is not None


async def check_saved_searches(
    runner: SavedSearchRunner, now: datetime, *, batch: int = BATCH
) -> CheckOutcome:
    """Checks every saved search that notifies, as its owner now; inactive owners are skipped."""
    now = storable_time(now)
    window_end = storable_time(min(now, await runner.indexed_until(now)))
    outcome = CheckOutcome()
    last: PydanticObjectId | None = None
    while True:
        criteria: dict[str, object] = {"notify": True, "last_checked_at": {"$lt": window_end}}
        if last is not None:
            criteria["_id"] = {"$gt": last}
        saved_searches = await SavedSearch.find(criteria).sort("_id").limit(batch).to_list()
        if not saved_searches:
            return outcome
        last = saved_searches[-1].id
        owner_ids = list({saved.user_id for saved in saved_searches})
        owners = {user.id: user for user in await User.find({"_id": {"$in": owner_ids}}).to_list()}
        for saved in saved_searches:
            owner = owners.get(saved.user_id)
            if owner is None or not owner.active:
                outcome.skipped += 1
                continue
            try:
                sent = await check_one(runner, saved, principal_for_user(owner), window_end, now)
            except Exception:
                log.exception("checking saved search %s failed; the next run tries again", saved.id)
                outcome.failed += 1
                continue
            if sent is None:
                outcome.skipped += 1
            else:
                outcome.checked += 1
                outcome.notified += int(sent)
        if len(saved_searches) < batch:
            return outcome
