"""`updatedSince`: the records of a listing changed at or after a time, in the order a client can page
through while others write.

What `updated_at` means: the last time anything a reader can see of the record changed (a field of the API,
its status, its visibility); every write path of a synced collection sets it in the same update. Work that
changes nothing a reader sees (indexing flags, audit linking, leases) leaves it alone.

The order is `updated_at, _id`, both ascending, in sealed cursors of the listing's own `-sync` kind. A record
written while a client pages gets a later `updated_at` and moves to the end: the client meets it again
further on. Equal times are ordered by id, and `since` is inclusive, so a record at the very boundary comes
twice rather than never (clients upsert by id). What a single pass can still miss — a write whose time was
taken before the client's position but committed after it read that far — comes in the next pass, because
the next `since` is the `syncedUntil` the feed answered (hub.sync.tombstones.horizon): a time before the
pass began, by the settling margin (`PANTAU_SYNC_SETTLE_SECONDS`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from beanie import SortDirection

from hub.core.clock import storable_time, utcnow
from hub.core.paging import Keyset
from hub.i18n import Text
from hub.sync.errors import SyncError, SyncErrorCode

UPDATED_AT = "updated_at"
ARGUMENT = "updatedSince"


def sync_keyset(listing: str) -> Keyset:
    """The order of a listing asked with `updatedSince`: oldest change first, ties by id."""
    return Keyset(
        f"{listing}-sync", ((UPDATED_AT, SortDirection.ASCENDING), ("_id", SortDirection.ASCENDING))
    )


def checked_since(since: datetime, now: datetime | None = None, *, field: str = ARGUMENT) -> datetime:
    """`since` as stored times compare (UTC, milliseconds; a time without a zone is UTC); a time still to
    come is refused (SINCE_IN_FUTURE): it could only come from a wrong clock, and would answer nothing."""
    moment = storable_time(since)
    if moment > (now or utcnow()):
        raise SyncError(
            SyncErrorCode.SINCE_IN_FUTURE,
            Text("sync.since_in_future", field=field),
            field,
        )
    return moment


def since_criteria(since: datetime | None, now: datetime | None = None) -> dict[str, Any]:
    """The records changed at or after `since` (checked); nothing to add without one."""
    if since is None:
        return {}
    return {UPDATED_AT: {"$gte": checked_since(since, now)}}


def listing_keyset(listing: str, since: datetime | None, otherwise: Keyset) -> Keyset:
    """The sync order when the listing is asked for changes, its own order otherwise."""
    return sync_keyset(listing) if since is not None else otherwise
