"""Deadline extensions (DHIS2's lock exceptions): a region given a later deadline for one period, and the one
function every caller asks for "the deadline of region R for period P".

An extension is granted by the level above the region with a reason (hub.reports.extension_grants) and may
be revoked; revoked ones are kept for the history. At most one is in force per region and period: while in
force it holds `active_key` (region and period), under a unique sparse index, and a revocation unsets it.

`Deadlines` answers for many regions and periods (completeness, reminders); `deadline_of` for one; both
read the extensions in force from a per-process cache kept in step by hub.caches, and apply
hub.reports.deadlines.effective_deadline to the base deadline of what is due: a quarterly report's by the
report type's rule, a requirement's own. A quarterly report stores the deadline in force in
`due_at` (so that listings, overdue filters and reminders query it), and its base in `base_due_at`;
`follow_reports` re-derives it whenever an extension is granted or revoked.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from beanie import Document, PydanticObjectId, SortDirection
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from hub import caches
from hub.access.scope import Scope, scope_to_mongo
from hub.audit.pending import Audited
from hub.core.clock import utcnow
from hub.core.idempotency import key_index, random_key
from hub.core.paging import Keyset, Page, Position
from hub.core.regions import mongo_under
from hub.dispatch import request_index
from hub.reports.access import INDEX_KIND
from hub.reports.deadlines import effective_deadline
from hub.reports.models import Report, ReportType


def active_key(region_code: str, period_key: str) -> str:
    return f"{region_code}|{period_key}"


class DeadlineExtension(Audited, Document):
    """A later deadline for one region's deliveries of one period, granted by the level above."""

    region_code: str
    region_path: list[str]
    period_key: str  # "2026-Q1"
    base_due_at: datetime = Field(description="the quarterly report's deadline by the rule, when granted")
    due_at: datetime = Field(description="the extended deadline; later than `base_due_at`")
    reason: str
    granted_by: str
    granted_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    revoke_reason: str | None = None
    active_key: str | None = Field(
        default=None, description="region|period while in force; unset once revoked"
    )
    idempotency_key: str = Field(default_factory=random_key, description="hub.core.idempotency")
    version: int = 1

    class Settings:
        name = "deadline_extensions"
        indexes = [
            IndexModel([("active_key", ASCENDING)], unique=True, sparse=True, name="one_extension_in_force"),
            key_index("deadline_extension_idempotency_key"),
            IndexModel([("period_key", ASCENDING), ("region_code", ASCENDING)]),
            IndexModel([("region_path", ASCENDING), ("_id", DESCENDING)]),
        ]

    @property
    def in_force(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Deadlines:
    """The extended deadlines in force for some periods: (region code, period key) → date."""

    extended: Mapping[tuple[str, str], datetime] = field(default_factory=dict)

    def of(self, region_code: str, period_key: str, base: datetime) -> datetime:
        """The deadline of region R for period P, for something due at `base` by its own rule."""
        return effective_deadline(base, self.extended.get((region_code, period_key)))


EXTENSIONS_CACHE = "reports.deadline_extensions"
_in_force: dict[str, tuple[float, dict[tuple[str, str], datetime]]] = {}
caches.register(EXTENSIONS_CACHE, _in_force.clear)


async def _extended() -> dict[tuple[str, str], datetime]:
    """Every extension in force, (region, period) → date, cached per database like the region tree: few
    (regions times open periods at most), read by every completeness figure and reminder run. A grant or a
    revocation announces itself to every process (`forget_extensions`); the cache also expires."""
    database = DeadlineExtension.get_pymongo_collection().database.name
    cached = _in_force.get(database)
    now = time.monotonic()
    if cached is not None and now - cached[0] < caches.max_age_seconds():
        return cached[1]
    found = await DeadlineExtension.find({"revoked_at": None}).to_list()
    extended = {(item.region_code, item.period_key): item.due_at for item in found}
    _in_force[database] = (now, extended)
    return extended


async def forget_extensions() -> None:
    await caches.invalidate(EXTENSIONS_CACHE)


async def deadlines_for(period_keys: Iterable[str], region_codes: Iterable[str] | None = None) -> Deadlines:
    """The extensions in force for these periods (and, when given, only these regions)."""
    periods = set(period_keys)
    regions = set(region_codes) if region_codes is not None else None
    return Deadlines(
        {
            (region, period): due
            for (region, period), due in (await _extended()).items()
            if period in periods and (regions is None or region in regions)
        }
    )


async def deadline_of(region_code: str, period_key: str, base: datetime) -> datetime:
    """The deadline of region R for period P, for something due at `base` by its own rule."""
    return (await deadlines_for([period_key], [region_code])).of(region_code, period_key, base)


async def extended_periods_due_between(start: datetime, end: datetime) -> list[str]:
    """The periods with an extension in force whose date lies between `start` and `end`."""
    return sorted({period for (_, period), due in (await _extended()).items() if start <= due <= end})


async def follow_reports(region_code: str, period_key: str) -> list[PydanticObjectId]:
    """Re-derives the stored deadline of the region's quarterly report of the period (if there is one) after
    an extension was granted or revoked, and asks for its indexing. Not a content change: the report's
    `version` stays, so an author's `expectedVersion` still holds. Answers the ids changed."""
    changed = []
    reports = await Report.find(
        {"region_code": region_code, "type": ReportType.QUARTERLY.value, "period_key": period_key}
    ).to_list()
    for report in reports:
        base = report.base_due_at or report.due_at
        due = await deadline_of(region_code, period_key, base)
        if due == report.due_at and report.base_due_at is not None:
            continue
        await Report.get_pymongo_collection().update_one(
            {"_id": report.id},
            {"$set": {"due_at": due, "base_due_at": base, "needs_index": True, "updated_at": utcnow()}},
        )
        assert report.id is not None
        await request_index(INDEX_KIND, report.id)
        changed.append(report.id)
    return changed


EXTENSIONS_NEWEST = Keyset("deadline-extensions", (("_id", SortDirection.DESCENDING),))


async def list_extensions(
    scope: Scope,
    *,
    region: str | None,
    period_key: str | None,
    include_revoked: bool,
    after: Position | None,
    first: int,
) -> Page[DeadlineExtension]:
    """A page of the extensions within the scope, newest first: under a region, of a period, in force only
    unless `include_revoked`."""
    parts: list[dict[str, Any]] = [scope_to_mongo(scope)]
    if region is not None:
        parts.append(mongo_under(region))
    if period_key is not None:
        parts.append({"period_key": period_key})
    if not include_revoked:
        parts.append({"revoked_at": None})
    return await EXTENSIONS_NEWEST.page(DeadlineExtension, {"$and": parts}, after, first)
