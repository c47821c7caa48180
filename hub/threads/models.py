"""A comment on a report or a case. It carries the record's region path and report type, so that who may read
it is decided exactly as for the record, without loading the record."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field
from pymongo import ASCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow
from hub.core.idempotency import key_index, random_key


class CommentTarget(StrEnum):
    REPORT = "Report"
    CASE = "Case"


class CommentEdit(BaseModel):
    """A body the comment had before an edit: the history an edit keeps."""

    body: str
    mentions: list[PydanticObjectId] = Field(default_factory=list)
    until: datetime = Field(description="when the edit replaced it")


class Comment(Audited, Document):
    target_type: CommentTarget
    target_id: PydanticObjectId
    region_path: list[str] = Field(description="the record's region path: the scope key")
    report_type: str | None = Field(default=None, description="reports only: partner-style type filter")
    author: str = Field(description="the actor, `user:<username>`")
    author_id: PydanticObjectId | None = None
    body: str
    mentions: list[PydanticObjectId] = Field(default_factory=list, description="User ids")
    edits: list[CommentEdit] = Field(default_factory=list, description="earlier bodies, oldest first")
    deleted_at: datetime | None = Field(default=None, description="soft delete: hidden, kept")
    client_mutation_id: str | None = None
    idempotency_key: str = Field(default_factory=random_key, description="hub.core.idempotency")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "comments"
        indexes = [
            IndexModel([("target_id", ASCENDING), ("created_at", ASCENDING), ("_id", ASCENDING)]),
            key_index("comment_idempotency_key"),
        ]
