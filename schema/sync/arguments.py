"""The `updatedSince` argument, the same on every connection a client keeps a copy of (hub.sync.since)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

UpdatedSince = Annotated[
    datetime | None,
    strawberry.argument(
        description="Only the items changed at or after this time (their `updatedAt`), oldest change first "
        "(ties by id) whatever the order asked: page through all of them, then pass the `syncedUntil` of "
        "`deleted` as the next `updatedSince`. A time in the future is refused (SINCE_IN_FUTURE)."
    ),
]
