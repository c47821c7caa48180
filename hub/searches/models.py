from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from beanie import Document, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow


class SavedSearch(Audited, Document):
    """A user's saved search. It stores what was asked, never what was found or the scope at saving time:
    every run applies the owner's scope of that moment.

    `filter` holds the `search` field's filter as given (snake_case names, enum values, datetimes); the
    schema and the worker turn it back into a search. New results for notifications are the records created
    after `last_checked_at`; a check in progress holds a lease (`check_lease_until`) on the window it
    claimed (`check_window_end`), so a replay after a crash notifies that window once.
    """

    user_id: PydanticObjectId
    name: str
    name_key: str = Field(description="the name case-folded: unique per user")
    query: str = ""
    filter: dict[str, Any] = Field(default_factory=dict)
    order: str = "relevance"
    notify: bool = False
    last_viewed_at: datetime | None = None
    last_checked_at: datetime = Field(default_factory=utcnow)
    check_lease_until: datetime | None = None
    check_window_end: datetime | None = None
    client_mutation_id: str | None = None
    # `<user id>|<clientMutationId>` when the client sent one, otherwise random: unique, so a retried
    # creation is race-free without partial indexes.
    idempotency_key: str = Field(default_factory=lambda: f"auto:{uuid.uuid4().hex}")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "saved_searches"
        indexes = [
            IndexModel([("user_id", ASCENDING), ("name_key", ASCENDING)], unique=True, name="user_name"),
            IndexModel([("idempotency_key", ASCENDING)], unique=True, name="saved_search_idempotency_key"),
            IndexModel([("notify", ASCENDING), ("last_checked_at", ASCENDING)]),
            # `updatedSince` (hub.sync.since): one user's changes in order.
            IndexModel([("user_id", ASCENDING), ("updated_at", ASCENDING), ("_id", ASCENDING)]),
        ]
