from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from beanie import Document, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, IndexModel


class DocumentCategory(StrEnum):
    DECREE = "decree"
    MINUTES = "minutes"
    NPHD = "nphd"
    PHOTO = "photo"
    CORRESPONDENCE = "correspondence"
    OTHER = "other"


class DocumentState(StrEnum):
    STORED = "stored"
    EXTRACTED = "extracted"
    INDEXED = "indexed"
    REJECTED = "rejected"


def utcnow() -> datetime:
    return datetime.now(UTC)


class StoredDocument(Document):
    """Metadata of one uploaded file. `revision` grows with every change and is the search index version."""

    region_code: str
    region_path: list[str] = Field(description="the region's ancestors and itself, root first: the scope key")
    category: DocumentCategory
    file_name: str = Field(description="the uploader's name for the file, cleaned, for display only")
    object_key: str
    content_type: str
    size: int
    sha256: str
    uploader: str | None = None
    client_mutation_id: str | None = None
    state: DocumentState = DocumentState.STORED
    rejection_reason: str | None = None
    text: str | None = None
    revision: int = 1
    needs_index: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "documents"
        indexes = [
            IndexModel(
                [("region_code", ASCENDING), ("sha256", ASCENDING)], unique=True, name="region_sha256"
            ),
            IndexModel([("region_path", ASCENDING)]),
            IndexModel([("state", ASCENDING), ("updated_at", ASCENDING)]),
            IndexModel([("needs_index", ASCENDING)]),
            IndexModel([("client_mutation_id", ASCENDING)]),
        ]


DocumentId = PydanticObjectId
