"""The `deleted` feed's types: tombstones, their kinds and error codes."""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias

import strawberry
from strawberry import relay

from hub.sync.errors import SyncErrorCode as SyncErrorCodeModel
from hub.sync.models import SyncKind as SyncKindModel
from hub.sync.models import Tombstone as TombstoneModel
from schema.connection import CURSOR, PAGE_INFO
from schema.cost import cost
from schema.describe import enum_type, error_codes
from schema.fields import field

enum_type(
    SyncKindModel,
    name="SyncKind",
    description="A kind of record a client keeps a copy of.",
    values={
        "REPORT": "Reports of every type (`reports`, `incidents`).",
        "CASE": "Cases (`cases`).",
        "DOCUMENT": "Documents (`documents`).",
        "ELECTION": "Elections (`elections`).",
        "SAVED_SEARCH": "The viewer's own saved searches (`savedSearches`).",
        "NOTIFICATION": "The viewer's own notifications (`notifications`).",
    },
)
error_codes(
    SyncErrorCodeModel,
    name="SyncErrorCode",
    noun="sync",
    values={
        "SYNC_EXPIRED": "`since` is older than the removals the hub keeps "
        "(PANTAU_SYNC_TOMBSTONE_RETENTION_DAYS): drop the local copy, list everything again without "
        "`updatedSince`, and continue from that answer's `syncedUntil`.",
        "SINCE_IN_FUTURE": "The time given is still to come: pass the `syncedUntil` of the last sync.",
    },
)
SyncKind: TypeAlias = SyncKindModel
SyncErrorCode: TypeAlias = SyncErrorCodeModel


@strawberry.type(
    description="A record that left the viewer's view: deleted, moved to the trash or purged, or moved to a "
    "region the viewer does not see. Drop it from a local copy. It tells nothing else about the record."
)
class Tombstone:
    kind: SyncKind = strawberry.field(description="The kind of record.")
    record_id: strawberry.ID = strawberry.field(
        description="The global id the record had (a Report, Case, Document, … id)."
    )
    removed_at: datetime = strawberry.field(description="When it left the viewer's view.")

    def logged_id(self) -> str:
        """A partner reading a tombstone reads of that record: its id goes to the read log (partner_log)."""
        return str(self.record_id)

    @classmethod
    def from_model(cls, tombstone: TombstoneModel) -> Tombstone:
        record_id = relay.to_base64(tombstone.kind.type_name, str(tombstone.record_id))
        return cls(kind=tombstone.kind, record_id=strawberry.ID(record_id), removed_at=tombstone.at)


@strawberry.type(description="A tombstone of a page, and where it is in the feed.")
class TombstoneEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: Tombstone = strawberry.field(description="The tombstone.")


@strawberry.type(description="A page of the records that left the viewer's view, oldest first.")
class TombstoneConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    # A tombstone is a stored record loaded and sent, as a Node is (schema.cost).
    edges: list[TombstoneEdge] = strawberry.field(
        description="The tombstones of this page, with cursors.", metadata=cost(item=1)
    )
    total_count: int = strawberry.field(description="How many match, over all pages.")
    synced_until: datetime = strawberry.field(
        description="Pass this as the next sync's `since` and `updatedSince`: a time just before this "
        "request, so that nothing written while you page is missed (some changes may come twice; apply "
        "them by id). Take it from the first request of a sync."
    )

    @field(description="The tombstones of this page, without edges.", metadata=cost(page=True, item=1))
    def nodes(self) -> list[Tombstone]:
        return [edge.node for edge in self.edges]
