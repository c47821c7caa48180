"""Reading the audit trail: who did what to which record, when, with the values before and after.

Who reads what:
- admins read every entry;
- reviewers read the entries of records in their region scope: entries that carry a `region_path` (set by
  the linker from the record's document, hub.audit.linker) inside it. Entries of records without a region
  (partner grants, sessions, failed logins) and entries written before `region_path` existed are admins'
  only, until `backfill_region_paths` has given the latter theirs;
- everyone else (operators, coordinators, leaders, partners) reads none: PERMISSION_DENIED.

Newest first (by `seq`, the chain's order, unique). Filters: one record (`Type:id`), one actor, some actions,
a time range; each bounded, each an equality or a range on an indexed field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from beanie import SortDirection

from hub.access.principal import Principal
from hub.access.roles import Role
from hub.access.scope import scope_to_mongo
from hub.audit.errors import AuditError, AuditErrorCode
from hub.audit.models import AuditEntry
from hub.audit.pending import audited_models
from hub.core.ids import object_ids
from hub.core.paging import Keyset, Page, Position
from hub.core.regions import REGION_PATH_FIELD
from hub.i18n import Text

ENTRIES_NEWEST = Keyset("audit-entries", (("seq", SortDirection.DESCENDING),))
READER_ROLES = frozenset({Role.ADMIN, Role.REVIEWER})
MAX_ACTIONS = 20
MAX_NAME = 120
BACKFILL_BATCH = 500


@dataclass(frozen=True)
class TrailFilter:
    """Each given condition must hold. `target` is `Type:id`, `actor` as entries name it (`user:siti`)."""

    target: str | None = None
    actor: str | None = None
    actions: tuple[str, ...] = ()
    at_from: datetime | None = None
    at_to: datetime | None = None

    def criteria(self) -> dict[str, Any]:
        for name, value in (("record", self.target), ("user", self.actor)):
            if value is not None and not 0 < len(value) <= MAX_NAME:
                raise AuditError(
                    AuditErrorCode.INVALID_FILTER, Text("audit.filter_too_long", name=name), f"filter.{name}"
                )
        if len(self.actions) > MAX_ACTIONS or any(not 0 < len(action) <= MAX_NAME for action in self.actions):
            raise AuditError(
                AuditErrorCode.INVALID_FILTER,
                Text("audit.actions_filter", max_actions=MAX_ACTIONS, max_name=MAX_NAME),
                "filter.actions",
            )
        if self.at_from and self.at_to and self.at_from > self.at_to:
            raise AuditError(AuditErrorCode.INVALID_FILTER, Text("audit.from_after_to"), "filter.from")
        criteria: dict[str, Any] = {}
        if self.target is not None:
            criteria["target"] = self.target
        if self.actor is not None:
            criteria["actor"] = self.actor
        if self.actions:
            criteria["action"] = {"$in": sorted(set(self.actions))}
        moment: dict[str, datetime] = {}
        if self.at_from:
            moment["$gte"] = self.at_from
        if self.at_to:
            moment["$lte"] = self.at_to
        if moment:
            criteria["at"] = moment
        return criteria


def readable_by(principal: Principal) -> dict[str, Any]:
    """The entries the principal may read, as a MongoDB filter; PERMISSION_DENIED for who may read none."""
    if principal.is_partner or principal.role not in READER_ROLES:
        raise AuditError(AuditErrorCode.PERMISSION_DENIED, Text("audit.permission_denied"))
    if principal.role is Role.ADMIN:
        return {}
    return {f"{REGION_PATH_FIELD}.0": {"$exists": True}, **scope_to_mongo(principal.scope)}


async def list_entries(
    principal: Principal, wanted: TrailFilter, *, after: Position | None, first: int
) -> Page[AuditEntry]:
    """A page of the entries the principal may read that match `wanted`, newest first (ENTRIES_NEWEST)."""
    criteria = {"$and": [readable_by(principal), wanted.criteria()]}
    return await ENTRIES_NEWEST.page(AuditEntry, criteria, after, first)


async def backfill_region_paths(batch: int = BACKFILL_BATCH) -> int:
    """Gives entries written before `region_path` existed the region path of their record, when the record
    still exists and has one; returns how many were given one. Safe to run again (it looks only at entries
    without one). Entries of deleted records stay admins' only."""
    models = {model.__name__: model for model in audited_models().values()}
    collection = AuditEntry.get_pymongo_collection()
    updated = 0
    last_seq = 0
    while True:
        rows = await collection.find(
            {"seq": {"$gt": last_seq}, REGION_PATH_FIELD: None},
            projection={"seq": 1, "target": 1},
            sort=[("seq", 1)],
            limit=batch,
        ).to_list()
        if not rows:
            return updated
        last_seq = int(rows[-1]["seq"])
        wanted: dict[str, dict[str, list[int]]] = {}
        for row in rows:
            kind, _, record_id = str(row["target"]).partition(":")
            if kind in models and "region_path" in models[kind].model_fields:
                wanted.setdefault(kind, {}).setdefault(record_id, []).append(int(row["seq"]))
        for kind, by_id in wanted.items():
            documents = (
                models[kind]
                .get_pymongo_collection()
                .find({"_id": {"$in": object_ids(by_id)}}, projection={"region_path": 1})
            )
            async for document in documents:
                path = document.get("region_path")
                if isinstance(path, list) and path:
                    result = await collection.update_many(
                        {"seq": {"$in": by_id[str(document["_id"])]}, REGION_PATH_FIELD: None},
                        {"$set": {REGION_PATH_FIELD: [str(code) for code in path]}},
                    )
                    updated += result.modified_count
