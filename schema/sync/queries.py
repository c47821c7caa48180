"""`deleted`: the feed of records that left the viewer's view since a time, and where the next sync starts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import strawberry

from hub.core.clock import utcnow
from hub.core.paging import Page
from hub.sync.models import SyncKind as SyncKindModel
from hub.sync.models import Tombstone as TombstoneModel
from hub.sync.tombstones import TOMBSTONES_BY_TIME, horizon, removed_since
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.sync.types import SyncKind, Tombstone, TombstoneConnection

Since = Annotated[
    datetime | None,
    strawberry.argument(
        description="The `syncedUntil` of the last sync: the records that left since then. Null on a first "
        "(or full) sync: no tombstones, only the `syncedUntil` to continue from. Older than the removals "
        "kept: SYNC_EXPIRED; in the future: SINCE_IN_FUTURE."
    ),
]
Kinds = Annotated[
    list[SyncKind] | None,
    strawberry.argument(description="Only these kinds of record (null: every kind the viewer may read)."),
]


@strawberry.type
class SyncQueries:
    @field(
        description="Records that left the viewer's view since a time (deleted, trashed, purged, or moved "
        "out of the viewer's regions), oldest first: with `updatedSince` on each listing, what keeps an "
        "offline copy exactly in step. Only records the viewer could have seen appear: its regions, its own "
        "saved searches and notifications, and for a partner grant the kinds and report types it reads.",
        permission_classes=[IsAuthenticated],
    )
    async def deleted(
        self,
        info: Info,
        since: Since = None,
        kinds: Kinds = None,
        first: First = 50,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> TombstoneConnection:
        settings = info.context.clients.settings
        now = utcnow()
        position, size = TOMBSTONES_BY_TIME.window(
            first=first, after=after, last=last, before=before, default=50
        )
        page: Page[TombstoneModel] = Page(items=[], total_count=0, has_next_page=False)
        if since is not None:
            page = await removed_since(
                info.context.principal,
                list(kinds) if kinds is not None else list(SyncKindModel),
                since,
                after=position,
                first=size,
                now=now,
                retention=timedelta(days=settings.sync_tombstone_retention_days),
            )
        return connection(
            TombstoneConnection,
            page,
            Tombstone.from_model,
            cursor=TOMBSTONES_BY_TIME.cursor,
            after=after,
            synced_until=horizon(now, timedelta(seconds=settings.sync_settle_seconds)),
        )
