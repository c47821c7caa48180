"""The audit trail's types: an entry with the values before and after, a page of them, and the state of the
chain."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.audit.chain import canonical_json
from hub.audit.errors import AuditErrorCode as AuditErrorCodeModel
from hub.audit.models import AuditEntry as AuditEntryModel
from hub.audit.verification import ChainState as ChainStateModel
from hub.audit.verification import Verification
from schema.access.actors import ACTOR_DESCRIPTION, actor
from schema.access.types import User
from schema.connection import CURSOR, PAGE_INFO
from schema.context import Info
from schema.describe import enum_type, error_codes
from schema.fields import field
from schema.regions.code import RegionCode

error_codes(
    AuditErrorCodeModel,
    name="AuditErrorCode",
    noun="audit trail",
    values={
        "INVALID_FILTER": "A filter of the audit trail is not acceptable (`field` says which).",
        "USER_NOT_FOUND": "No account you may see has this id.",
    },
)
enum_type(
    ChainStateModel,
    name="AuditChainState",
    description="What checking the audit chain since its latest signed checkpoint found.",
    values={
        "SOUND": "Every entry since the checkpoint links and verifies.",
        "BROKEN": "An entry or a checkpoint does not verify: `problem` says where; run "
        "`pantau audit verify`.",
        "UNCHECKED": "Too many entries since the latest checkpoint to check in a request: run "
        "`pantau audit checkpoint`.",
    },
)
AuditErrorCode: TypeAlias = AuditErrorCodeModel
AuditChainState: TypeAlias = ChainStateModel


def _json(value: Any) -> str:
    return canonical_json(value)


@strawberry.type(description="One field an audited change set: its value before and after, as JSON text.")
class AuditValueChange:
    field: str = strawberry.field(
        description="The field, as the record stores it; `field.key` for a key of a mapping (an indicator)."
    )
    before: str | None = strawberry.field(
        description="Its JSON before the change; null when it had none. Long values are cut, ending in `…`; "
        "secrets read `[secret]`."
    )
    after: str | None = strawberry.field(description="Its JSON after the change; null when it has none.")


@strawberry.type(description="One entry of the audit chain: who did what to which record, when, and how.")
class AuditEntry:
    seq: int = strawberry.field(description="Its position in the chain, from 1 without gaps.")
    action_name: str = strawberry.field(
        description="What was done, as the chain recorded it: `report.update`, `user.create`, "
        "`partner_grant.rotate_token`, … Text, not an enum: entries keep the names they were written with, "
        "and the set grows with the hub."
    )
    target: str = strawberry.field(description="What it was done to, as `Type:id`.")
    at: datetime = strawberry.field(description="When, to the millisecond.")
    actor_name: str = strawberry.field(
        description="Who acted, as the chain names them: `user:<username>`, `partner:<agency>`, `system`."
    )
    change_json: str = strawberry.field(description="The whole recorded change, as canonical JSON text.")
    region_path: strawberry.Private[list[str] | None]
    change: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_model(cls, entry: AuditEntryModel) -> AuditEntry:
        return cls(
            seq=entry.seq,
            action_name=entry.action,
            target=entry.target,
            at=entry.at,
            actor_name=entry.actor,
            change_json=_json(entry.change),
            region_path=entry.region_path,
            change=entry.change,
        )

    @field(description="The record's global id, as `node` takes it; null for targets that are not records.")
    def record_id(self) -> relay.GlobalID | None:
        kind, _, raw = self.target.partition(":")
        return relay.GlobalID(kind, raw) if kind and raw and kind[0].isupper() else None

    @field(description=f"The account that acted; {ACTOR_DESCRIPTION}")
    def user(self, info: Info) -> User | None:
        return actor(info, self.actor_name)  # type: ignore[return-value]  # or an awaitable of it

    @field(description="The record's region, when it has one (what reviewers' scope is checked against).")
    def region_code(self) -> RegionCode | None:
        return RegionCode(self.region_path[-1]) if self.region_path else None

    @field(description="The values before and after, per field, for changes that record them.")
    def values(self) -> list[AuditValueChange]:
        before, after = self.change.get("before"), self.change.get("after")
        if not isinstance(before, dict) or not isinstance(after, dict):
            return []
        return [
            AuditValueChange(
                field=name,
                before=json.dumps(before[name], ensure_ascii=False) if before.get(name) is not None else None,
                after=json.dumps(after[name], ensure_ascii=False) if after.get(name) is not None else None,
            )
            for name in sorted(set(before) | set(after))
        ]


@strawberry.type(description="An audit entry and its cursor.")
class AuditEntryEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: AuditEntry = strawberry.field(description="The entry.")


@strawberry.type(description="A page of audit entries, newest first.")
class AuditEntryConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[AuditEntryEdge] = strawberry.field(description="The entries of this page, with cursors.")
    total_count: int = strawberry.field(description="How many entries match, over all pages.")

    @field(description="The entries of this page, without edges.")
    def nodes(self) -> list[AuditEntry]:
        return [edge.node for edge in self.edges]


@strawberry.input(description="Conditions on audit entries; each given one must hold.")
class AuditEntryFilter:
    record: relay.GlobalID | None = strawberry.field(
        default=None, description="Entries about this record (any global id: a Report, a User, …)."
    )
    user: relay.GlobalID | None = strawberry.field(
        default=None, description="Entries of this User's actions."
    )
    actions: list[str] | None = strawberry.field(
        default=None, description="Entries of these actions, such as `report.update`; at most 20."
    )
    from_: datetime | None = strawberry.field(
        default=None, name="from", description="Entries made at or after this time."
    )
    to: datetime | None = strawberry.field(default=None, description="Entries made at or before this time.")


@strawberry.type(description="A signed statement that the chain had this entry with this hash.")
class AuditCheckpoint:
    seq: int = strawberry.field(description="The entry it vouches for, and for every one before it.")
    hash: str = strawberry.field(description="That entry's hash.")
    at: datetime = strawberry.field(description="When it was signed.")


@strawberry.type(
    description="The audit chain checked from its latest signed checkpoint to its head: a bounded check "
    "(`pantau audit verify` checks the whole chain)."
)
class AuditVerification:
    state: AuditChainState = strawberry.field(description="What the check found.")
    checked_at: datetime = strawberry.field(description="When it was checked.")
    head_seq: int = strawberry.field(description="The last entry of the chain (0: none yet).")
    entries_checked: int = strawberry.field(description="How many entries this check read.")
    checkpoint: AuditCheckpoint | None = strawberry.field(
        description="The latest signed checkpoint it started from; null when none was written yet."
    )
    broken_seq: int | None = strawberry.field(description="BROKEN: the first entry that does not verify.")
    problem: str | None = strawberry.field(description="BROKEN or UNCHECKED: why.")

    @classmethod
    def from_model(cls, found: Verification) -> AuditVerification:
        mark = found.checkpoint
        return cls(
            state=found.state,
            checked_at=found.checked_at,
            head_seq=found.head_seq,
            entries_checked=found.entries_checked,
            checkpoint=AuditCheckpoint(seq=mark.seq, hash=mark.hash, at=mark.at) if mark else None,
            broken_seq=found.broken_seq,
            problem=found.problem,
        )
