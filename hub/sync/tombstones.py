"""Recording tombstones, and the `deleted` feed: the records that left a reader's view since a time.

Who is told of a tombstone: exactly who could have seen the record.
- A record of a region: readers whose scope covers the region it had; for a partner grant, only when it reads
  that kind of record (at least one granted field) and, for a report, its type. A record moved to another
  region is gone only for readers of the old region who do not also cover the new one: they still see it.
- A private record (saved search, notification): its owner alone.
A tombstone carries the record's id, its kind and the time it left: nothing about where it went, so a grant
learns nothing outside itself.

Writing: the service that removes or moves a record records its tombstone right after the change is written
(and before it answers), keyed by the cause so that a retry or a replayed sweep records nothing twice. There
are no multi-document transactions: a process dying between the two writes leaves the removal without its
tombstone, which a client then keeps until its next full resync.

Retention: tombstones are kept `PANTAU_SYNC_TOMBSTONE_RETENTION_DAYS`; a client asking from further back
than that could miss removals, so it is refused with SYNC_EXPIRED and must resync fully.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from beanie import PydanticObjectId, SortDirection
from pymongo.errors import DuplicateKeyError

from hub.access.principal import Principal, PrincipalKind
from hub.access.scope import Scope
from hub.access.visibility import reads_type
from hub.core.clock import storable_time, utcnow
from hub.core.ids import object_id
from hub.core.paging import Keyset, Page, Position
from hub.core.regions import mongo_under_any
from hub.i18n import Text
from hub.sync.errors import SyncError, SyncErrorCode
from hub.sync.models import RemovalCause, SyncKind, Tombstone
from hub.sync.since import checked_since

TOMBSTONES_BY_TIME = Keyset("tombstones", (("at", SortDirection.ASCENDING), ("_id", SortDirection.ASCENDING)))


async def record_removal(
    kind: SyncKind,
    record_id: PydanticObjectId | None,
    cause: RemovalCause,
    *,
    key: str,
    region_path: Sequence[str] = (),
    report_type: str | None = None,
    owner_id: PydanticObjectId | None = None,
    at: datetime | None = None,
) -> None:
    """Records that a record left its readers' view; the same `key` again records nothing."""
    await _insert_once(
        Tombstone(
            kind=kind,
            record_id=_required(record_id),
            cause=cause,
            region_path=list(region_path),
            report_type=report_type,
            owner_id=owner_id,
            key=f"{kind.value}:{record_id}:{key}",
            at=storable_time(at or utcnow()),
        )
    )


async def record_move(
    kind: SyncKind,
    record_id: PydanticObjectId | None,
    *,
    from_path: Sequence[str],
    to_path: Sequence[str],
    key: str,
    report_type: str | None = None,
    at: datetime | None = None,
) -> None:
    """Records that a record moved from one region to another: gone for readers of the old region only. The
    service that moves it also sets its `updated_at`, so readers of the new one get it as a change."""
    await _insert_once(
        Tombstone(
            kind=kind,
            record_id=_required(record_id),
            cause=RemovalCause.MOVED,
            region_path=list(from_path),
            still_under=list(to_path),
            report_type=report_type,
            key=f"{kind.value}:{record_id}:{key}",
            at=storable_time(at or utcnow()),
        )
    )


def _required(record_id: PydanticObjectId | None) -> PydanticObjectId:
    if record_id is None:
        raise ValueError("a tombstone needs the id of a stored record")
    return record_id


async def _insert_once(tombstone: Tombstone) -> None:
    with contextlib.suppress(DuplicateKeyError):  # this cause is recorded already: a retry
        await tombstone.insert()


def horizon(now: datetime, settle: timedelta) -> datetime:
    """The `syncedUntil` of a pass that starts now: the `since` of the next pass. Earlier than now by the
    settling margin, so that a write whose time was taken just before the pass, and committed during it, is
    in the next one."""
    return storable_time(now - settle)


def _visible_kinds(principal: Principal, wanted: Iterable[SyncKind]) -> list[SyncKind]:
    kinds = []
    for kind in wanted:
        if kind.private:
            if principal.kind is PrincipalKind.USER:
                kinds.append(kind)
        elif reads_type(principal.scope, kind.type_name):
            kinds.append(kind)
    return kinds


def _regional(scope: Scope, kinds: list[SyncKind]) -> dict[str, Any]:
    """The tombstones of regional records the scope could have seen, and can no longer see."""
    criteria: dict[str, Any] = {"kind": {"$in": [kind.value for kind in kinds]}}
    if scope.region_roots is None:
        # Everything is visible: a moved record is still in view; only removals count.
        criteria["cause"] = {"$ne": RemovalCause.MOVED.value}
    else:
        criteria.update(mongo_under_any(scope.region_roots))
        criteria["still_under"] = {"$nin": sorted(scope.region_roots)}
    if scope.report_types is not None:
        allowed = {"report_type": {"$in": sorted(scope.report_types)}}
        criteria = {"$and": [criteria, {"$or": [{"kind": {"$ne": SyncKind.REPORT.value}}, allowed]}]}
    return criteria


def feed_criteria(principal: Principal, kinds: Iterable[SyncKind], since: datetime) -> dict[str, Any]:
    """The tombstones the principal may be told of, of these kinds, at or after `since`; None-matching when
    it may be told of none."""
    visible = _visible_kinds(principal, kinds)
    regional = [kind for kind in visible if not kind.private]
    private = [kind for kind in visible if kind.private]
    alternatives: list[dict[str, Any]] = []
    if regional and not principal.scope.is_empty:
        alternatives.append(_regional(principal.scope, regional))
    owner = object_id(principal.id or "") if private else None
    if private and owner is not None:
        alternatives.append({"kind": {"$in": [kind.value for kind in private]}, "owner_id": owner})
    if not alternatives:
        return {"_id": {"$in": []}}
    which = alternatives[0] if len(alternatives) == 1 else {"$or": alternatives}
    return {"$and": [which, {"at": {"$gte": since}}]}


def checked_feed_since(since: datetime, now: datetime, retention: timedelta) -> datetime:
    """`since` for the feed: not in the future, and not older than the tombstones kept (SYNC_EXPIRED)."""
    moment = checked_since(since, now, field="since")
    if moment < now - retention:
        raise SyncError(
            SyncErrorCode.SYNC_EXPIRED,
            Text("sync.sync_expired", days=retention.days),
            "since",
        )
    return moment


async def removed_since(
    principal: Principal,
    kinds: Iterable[SyncKind],
    since: datetime,
    *,
    after: Position | None,
    first: int,
    now: datetime,
    retention: timedelta,
) -> Page[Tombstone]:
    """A page of the `deleted` feed: the principal's tombstones since `since`, oldest first."""
    criteria = feed_criteria(principal, kinds, checked_feed_since(since, now, retention))
    return await TOMBSTONES_BY_TIME.page(Tombstone, criteria, after, first)


async def prune_tombstones(now: datetime, retention: timedelta) -> int:
    """Removes the tombstones older than the retention; returns how many."""
    result = await Tombstone.get_pymongo_collection().delete_many({"at": {"$lt": now - retention}})
    return int(result.deleted_count)


async def removed_by_owner(kind: SyncKind, record_id: str, owner_id: PydanticObjectId) -> bool:
    """Whether the owner's private record was removed (a retried deletion then answers as the first did)."""
    oid = object_id(record_id)
    if oid is None:
        return False
    return await Tombstone.find_one({"kind": kind.value, "record_id": oid, "owner_id": owner_id}) is not None
