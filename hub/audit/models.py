from __future__ import annotations

from datetime import datetime
from typing import Any

from beanie import Document
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel


class AuditEntry(Document):
    """One link of the audit chain. `hash` covers `prev_hash`, the scheme and every other field but the id."""

    seq: int = Field(description="position in the chain, from 1 without gaps")
    actor: str = Field(description='who acted: "user:siti", "partner:KPU", "system"')
    action: str = Field(description='what was done: "document.upload", "user.create"')
    target: str = Field(description='what it was done to: "Document:<id>"')
    at: datetime = Field(description="when, in UTC, to the millisecond (what MongoDB keeps)")
    change: dict[str, Any] = Field(default_factory=dict, description="what changed, JSON-able")
    prev_hash: str
    hash: str
    # Entries from before schemes were numbered have no field: they read back as scheme 1 (hub.audit.chain).
    scheme: int = Field(
        default=1, description="how `hash` is computed: 1 plain SHA-256, 2 HMAC with the audit key"
    )
    # Absent (never null) on entries appended directly, so the sparse unique index leaves them out.
    pending_id: str | None = Field(
        default=None, description="the pending entry this was linked from (hub.audit.pending), hashed too"
    )

    # Not hashed: it decides who may read the entry (reviewers, within their regions), not what the entry
    # says, so entries written before it existed can be given one (hub.audit.trail.backfill_region_paths)
    # and verification is the same with or without it. Entries of records without a region (grants,
    # sessions, failed logins) have none: only admins read those.
    region_path: list[str] | None = Field(
        default=None, description="the region path of the record it is about, when that record has one"
    )

    class Settings:
        name = "audit_entries"
        indexes = [
            IndexModel([("target", ASCENDING), ("seq", DESCENDING)], name="target_seq"),
            IndexModel([("actor", ASCENDING), ("seq", DESCENDING)], name="actor_seq"),
            IndexModel([("region_path", ASCENDING), ("seq", DESCENDING)], name="region_path_seq"),
            # The unique seq is what keeps the chain linear without transactions: two writers that read
            # the same head cannot both append after it.
            IndexModel([("seq", ASCENDING)], unique=True, name="seq_unique"),
            # A pending entry is linked once, however many linkers try (a retry is "already recorded").
            IndexModel([("pending_id", ASCENDING)], unique=True, sparse=True, name="pending_id_unique"),
        ]
