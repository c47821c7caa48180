from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from beanie import Document, PydanticObjectId
from pydantic import BaseModel, ConfigDict, Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow
from hub.core.idempotency import key_index, random_key


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


class PhotoPosition(StrEnum):
    """Where a photo's EXIF GPS position lies against its document's region (hub.regions.geo)."""

    INSIDE = "inside"
    OUTSIDE = "outside"  # flagged: farther from the region's centre than its level's radius
    NONE = "none"  # no GPS position in the EXIF
    UNREADABLE = "unreadable"  # EXIF present but malformed: its time and position are ignored
    REGION_UNPLACED = "region_unplaced"  # a position, but the region has no centre to compare with


class Derivative(BaseModel):
    """A smaller JPEG made from a photo, stored beside the original without any EXIF (no location)."""

    box: int = Field(description="the longest side it was fitted into, in pixels")
    object_key: str
    width: int
    height: int
    size: int
    sha256: str
    content_type: str = "image/jpeg"


class MediaInfo(BaseModel):
    """What the worker read from a photo's bytes (EXIF time and GPS), and the derivatives it made."""

    taken_at: datetime | None = Field(default=None, description="EXIF DateTimeOriginal, as written (no zone)")
    latitude: float | None = None
    longitude: float | None = None
    position: PhotoPosition = PhotoPosition.NONE
    width: int = 0
    height: int = 0
    derivatives: list[Derivative] = Field(default_factory=list)


class DocumentRecord(BaseModel):
    """What a document is as a record (hub.documents.metadata): set at upload or with documentUpdate."""

    title: str | None = None
    number: str | None = Field(default=None, description="its reference number, such as a decree's")
    document_date: datetime | None = Field(default=None, description="the date the document bears (midnight)")
    period_key: str | None = Field(default=None, description="`2026-Q1`: the one period it is evidence for")
    report_id: PydanticObjectId | None = None
    indicator_code: str | None = Field(default=None, description="the indicator it supports")
    case_id: PydanticObjectId | None = None
    custom_fields: dict[str, str] = Field(default_factory=dict, description="per category (metadata.py)")


class DocumentVersion(BaseModel):
    """An earlier version of a document, kept (bytes and metadata) when a newer one replaced it."""

    version: int
    category: DocumentCategory
    file_name: str
    object_key: str
    content_type: str
    size: int
    sha256: str
    uploader: str | None = None
    uploaded_at: datetime


class StoredDocument(Audited, DocumentRecord, Document):
    """Metadata of one uploaded file. `revision` grows with every change and is the search index version.

    The top-level file fields describe the current version; `previous_versions` keeps the older ones, oldest
    first. A document in the trash has `deleted_at` set: it is hidden everywhere but the trash listing, and
    purged with all its versions' bytes when the retention has passed.
    """

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
    idempotency_key: str = Field(default_factory=random_key, description="hub.core.idempotency")
    state: DocumentState = DocumentState.STORED
    rejection_reason: str | None = None
    text: str | None = None
    ocr_confidence: float | None = Field(default=None, description="0..1, mean over OCR words")
    revision: int = 1
    needs_index: bool = False
    version: int = 1
    uploaded_at: datetime | None = Field(default=None, description="when the current version was uploaded")
    previous_versions: list[DocumentVersion] = Field(default_factory=list)
    media: MediaInfo | None = Field(default=None, description="photos: set by the worker (workers/media.py)")
    incident_id: PydanticObjectId | None = Field(
        default=None, description="the incident report it is attached to (hub.reports.attachments)"
    )
    deleted_at: datetime | None = None
    deleted_by: str | None = None
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
            key_index("document_idempotency_key"),
            IndexModel([("deleted_at", ASCENDING)]),
            IndexModel([("period_key", ASCENDING), ("category", ASCENDING)]),
            IndexModel([("created_at", DESCENDING), ("_id", DESCENDING)]),
            # `updatedSince` (hub.sync.since): changes in order, all of them and within a reader's regions.
            IndexModel([("updated_at", ASCENDING), ("_id", ASCENDING)]),
            IndexModel([("region_path", ASCENDING), ("updated_at", ASCENDING), ("_id", ASCENDING)]),
        ]

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    @property
    def object_keys(self) -> list[str]:
        """The stored bytes of every version, current first, then the current version's derivatives."""
        derived = [item.object_key for item in self.media.derivatives] if self.media else []
        return [
            self.object_key,
            *(version.object_key for version in reversed(self.previous_versions)),
            *derived,
        ]


class UploadStatus(StrEnum):
    PENDING = "pending"  # form issued, waiting for the client's POST and confirmation
    CONFIRMING = "confirming"  # a confirmation is checking the bytes (a lease, until `claimed_until`)
    CONFIRMED = "confirmed"  # recorded as `document_id`; kept until expiry so a retried confirm answers


class PendingUpload(Audited, Document):
    """A presigned upload: what the client declared, where it may POST the bytes, and until when.

    Only the requester may confirm it. A refused confirmation removes the record and the staging object; the
    periodic purge removes expired ones (and their staging objects).
    """

    staging_key: str
    region_code: str
    region_path: list[str]
    category: DocumentCategory
    file_name: str
    size: int
    sha256: str
    uploader: str
    client_mutation_id: str | None = None
    idempotency_key: str = Field(default_factory=random_key, description="hub.core.idempotency")
    replaces: PydanticObjectId | None = Field(
        default=None, description="the document this is a new version of"
    )
    record: dict[str, Any] = Field(
        default_factory=dict, description="the new document's record fields, checked (metadata.py)"
    )
    status: UploadStatus = UploadStatus.PENDING
    claimed_until: datetime | None = None
    document_id: PydanticObjectId | None = None
    created_at: datetime = Field(default_factory=utcnow)
    url_expires_at: datetime
    expires_at: datetime = Field(description="confirm before this; the purge removes the upload after it")

    class Settings:
        name = "document_uploads"
        indexes = [
            IndexModel([("staging_key", ASCENDING)], unique=True, name="staging_key"),
            key_index("document_upload_idempotency_key"),
            IndexModel([("expires_at", ASCENDING)]),
        ]


DocumentId = PydanticObjectId


class StoredDocumentSummary(DocumentRecord):
    """A document's metadata without its extracted text (up to megabytes), for lists and search hits: read
    with a projection, so the text is neither sent by MongoDB nor decoded here."""

    model_config = ConfigDict(populate_by_name=True)

    id: PydanticObjectId = Field(alias="_id")
    region_code: str
    region_path: list[str]
    category: DocumentCategory
    file_name: str
    object_key: str
    content_type: str
    size: int
    sha256: str
    state: DocumentState = DocumentState.STORED
    rejection_reason: str | None = None
    ocr_confidence: float | None = None
    version: int = 1
    uploaded_at: datetime | None = None
    previous_versions: list[DocumentVersion] = Field(default_factory=list)
    media: MediaInfo | None = None
    incident_id: PydanticObjectId | None = None
    deleted_at: datetime | None = None
    created_at: datetime
    updated_at: datetime = Field(default_factory=utcnow)  # as on StoredDocument
