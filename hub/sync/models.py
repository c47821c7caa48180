"""Tombstones: one per record that left readers' view, with what decides who may be told of it.

A tombstone keeps no field of the record but its id and what scoped it: the region path it had (and, for a
move, the path it has now), a report's type, or the user owning a private record (saved searches,
notifications). `key` names the cause (`document:<id>:trash:<time>`): recording the same cause again, as a
retry does, writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from beanie import Document, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from hub.core.clock import utcnow


class SyncKind(StrEnum):
    """The kinds of record a client keeps a copy of; each names its GraphQL type (`type_name`)."""

    REPORT = "report"
    CASE = "case"
    DOCUMENT = "document"
    ELECTION = "election"
    SAVED_SEARCH = "saved_search"
    NOTIFICATION = "notification"

    @property
    def type_name(self) -> str:
        return "".join(part.capitalize() for part in self.value.split("_"))

    @property
    def private(self) -> bool:
        """Records of one user only: their tombstones go to their owner alone."""
        return self in {SyncKind.SAVED_SEARCH, SyncKind.NOTIFICATION}


class RemovalCause(StrEnum):
    DELETED = "deleted"  # deleted outright (a saved search)
    TRASHED = "trashed"  # moved to the trash (documents; restorable for a while)
    PURGED = "purged"  # removed for good by the purge
    MOVED = "moved"  # moved to another region: gone for readers of the old one only


class Tombstone(Document):
    kind: SyncKind
    record_id: PydanticObjectId
    cause: RemovalCause
    region_path: list[str] = Field(default_factory=list, description="the record's region path before")
    still_under: list[str] = Field(
        default_factory=list, description="a move: the region path it has now (its readers still see it)"
    )
    report_type: str | None = None
    owner_id: PydanticObjectId | None = Field(default=None, description="a private record's user")
    key: str = Field(description="the cause, unique: recording it again writes nothing")
    at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "tombstones"
        indexes = [
            IndexModel([("key", ASCENDING)], unique=True, name="tombstone_key"),
            # The feed: in order of time within a reader's regions, or of one owner, or everything.
            IndexModel([("region_path", ASCENDING), ("at", ASCENDING), ("_id", ASCENDING)]),
            IndexModel([("owner_id", ASCENDING), ("at", ASCENDING), ("_id", ASCENDING)]),
            IndexModel([("at", ASCENDING), ("_id", ASCENDING)]),
        ]
