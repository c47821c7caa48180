from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import strawberry
from beanie import PydanticObjectId
from strawberry import relay

from hub.documents.errors import DocumentErrorCode as DocumentErrorCodeModel
from hub.documents.links import download_url
from hub.documents.models import DocumentCategory as DocumentCategoryModel
from hub.documents.models import DocumentState as DocumentStateModel
from hub.documents.models import DocumentVersion as DocumentVersionModel
from hub.documents.models import MediaInfo, StoredDocument, StoredDocumentSummary
from hub.documents.shares import sees_share
from schema.context import Info
from schema.describe import ERROR_CODE, ERROR_FIELD, ERROR_MESSAGE, enum_type, error_codes
from schema.documents.media import DocumentMedia
from schema.documents.shares import DocumentShare
from schema.fields import field
from schema.prefetch import preset
from schema.regions.types import Region

if TYPE_CHECKING:
    from schema.cases.types import Case
    from schema.evidence.types import Evidence
    from schema.reports.types import Report

# The domain enums, under GraphQL names.
enum_type(
    DocumentCategoryModel,
    name="DocumentCategory",
    description="What kind of supporting document (data dukung) a file is.",
    values={
        "DECREE": "A decree (surat keputusan, SK), such as the one that sets up the monitoring team.",
        "MINUTES": "Minutes of a meeting (berita acara, notulen).",
        "NPHD": "A regional grant agreement (Naskah Perjanjian Hibah Daerah) that funds the local KPU or "
        "Bawaslu, or a record of its disbursement.",
        "PHOTO": "A photograph (of an event, a place, logistics).",
        "CORRESPONDENCE": "A letter or other correspondence.",
        "OTHER": "Anything else.",
    },
)
enum_type(
    DocumentStateModel,
    name="DocumentState",
    description="Processing state: STORED → EXTRACTED → INDEXED, or REJECTED with a reason.",
    values={
        "STORED": "The file is stored; its text is not extracted yet.",
        "EXTRACTED": "Its text was extracted (OCR for scans and photos); not yet searchable.",
        "INDEXED": "Its text is searchable.",
        "REJECTED": "Processing refused the file (`rejectionReason` says why); it stays downloadable.",
    },
)
error_codes(
    DocumentErrorCodeModel,
    name="DocumentErrorCode",
    noun="document",
    values={
        "EMPTY_FILE": "The file has no bytes.",
        "FILE_TOO_LARGE": "The file is larger than the upload limit (PANTAU_MAX_UPLOAD_BYTES; for videos "
        "PANTAU_MAX_VIDEO_BYTES), or unpacks to more than allowed.",
        "UNSUPPORTED_TYPE": "The file's bytes are not of an accepted type: PDF, DOCX, XLSX, ODT, JPEG, PNG, "
        "TIFF, plain text, or an MP4, QuickTime or WebM video.",
        "INVALID_FILE_NAME": "The file name is empty, too long or made only of characters that are dropped.",
        "FILE_REQUIRED": "An Upload argument was given a JSON value instead of a multipart file part.",
        "STORAGE_UNAVAILABLE": "Object storage did not answer; nothing was stored. Retry later.",
        "INVALID_SHA256": "`sha256` is not 64 hexadecimal characters.",
        "UPLOAD_NOT_FOUND": "No pending upload of yours has this id.",
        "UPLOAD_EXPIRED": "The upload was not confirmed in time and was purged: request a new one.",
        "FILE_NOT_UPLOADED": "Nothing was POSTed with the upload's form yet.",
        "CONFIRM_IN_PROGRESS": "Another confirmation of the same upload is running: retry in a moment.",
        "SIZE_MISMATCH": "The file uploaded does not have the size declared.",
        "HASH_MISMATCH": "The file uploaded does not have the SHA-256 declared.",
        "DOCUMENT_NOT_FOUND": "No document has this id, or it is outside what you may see (the two answer "
        "alike).",
        "DUPLICATE_CONTENT": "The new version is exactly the current file.",
        "DOCUMENT_IN_TRASH": "The document is in the trash: restore it first.",
        "NOT_IN_TRASH": "The document is not in the trash.",
        "TRASH_EXPIRED": "The document stayed in the trash past its retention and can no longer be restored.",
        "INVALID_SHARE": "A share link's recipient or expiry is not acceptable (`field` says which).",
        "SHARE_NOT_FOUND": "No share link you may revoke has this id (the two answer alike).",
        "REGION_MISMATCH": "The report, case or document given belongs to another region than this document.",
        "CONFLICT": "The document changed meanwhile: reload it and try again.",
        "REPORT_NOT_FOUND": "No report you can see has this id.",
        "CASE_NOT_FOUND": "No case you can see has this id.",
        "INVALID_METADATA": "A record field is invalid: too long, not a period like 2026-Q1, a custom field "
        "the category does not have, or an indicator without its report (`field` names it).",
    },
)
DocumentCategory: TypeAlias = DocumentCategoryModel
DocumentState: TypeAlias = DocumentStateModel
DocumentErrorCode: TypeAlias = DocumentErrorCodeModel

DOWNLOAD_URL_HELP = (
    "A short-lived link (PANTAU_DOWNLOAD_URL_TTL_SECONDS) that downloads the file under its display name; "
    "null while the document is in the trash. Issued only to viewers who can see the document."
)


def _link(info: Info, key: str, file_name: str, content_type: str) -> str:
    settings = info.context.clients.settings
    return download_url(settings, key, file_name, content_type, datetime.now(UTC)).url


@strawberry.type(description="An earlier version of a document, kept when a newer one replaced it.")
class DocumentVersion:
    version: int = strawberry.field(description="Its number: 1 for the first upload, and so on.")
    category: DocumentCategory = strawberry.field(description="Its category while it was current.")
    file_name: str = strawberry.field(description="The uploader's file name, for display only.")
    content_type: str = strawberry.field(description="Detected from the file's bytes.")
    size: int = strawberry.field(description="Bytes.")
    sha256: str = strawberry.field(description="SHA-256 of the file, hexadecimal.")
    uploaded_at: datetime = strawberry.field(description="When this version was uploaded.")
    object_key: strawberry.Private[str]
    in_trash: strawberry.Private[bool]

    @classmethod
    def from_model(cls, version: DocumentVersionModel, in_trash: bool) -> DocumentVersion:
        return cls(
            version=version.version,
            category=version.category,
            file_name=version.file_name,
            content_type=version.content_type,
            size=version.size,
            sha256=version.sha256,
            uploaded_at=version.uploaded_at,
            object_key=version.object_key,
            in_trash=in_trash,
        )

    @field(description=DOWNLOAD_URL_HELP)
    def download_url(self, info: Info) -> str | None:
        # Not a Node, so the partner field guard does not see this field: ask it for Document's link.
        if self.in_trash or not info.context.principal.scope.allows_field("Document", "downloadUrl"):
            return None
        return _link(info, self.object_key, self.file_name, self.content_type)


@strawberry.type(
    description="One custom field of a document: the fields a category has are listed in "
    "`documentCustomFields`."
)
class DocumentCustomField:
    name: str = strawberry.field(description="The field's name, such as `recipient` for an NPHD.")
    value: str = strawberry.field(description="Its value, as given.")


@strawberry.type(
    description="A supporting document (data dukung) uploaded for a region: a decree, minutes, an NPHD, a "
    "photo. Its file is stored once; each new version keeps the earlier ones."
)
class Document(relay.Node):
    document_id: relay.NodeID[str]
    category: DocumentCategory = strawberry.field(description="What kind of document it is.")
    file_name: str = strawberry.field(description="The uploader's file name, for display only.")
    content_type: str = strawberry.field(description="Detected from the file's bytes.")
    size: int = strawberry.field(description="Bytes.")
    sha256: str = strawberry.field(description="SHA-256 of the current file, hexadecimal.")
    state: DocumentState = strawberry.field(description="How far processing (text extraction) got.")
    rejection_reason: str | None = strawberry.field(description="Why processing refused the file.")
    created_at: datetime = strawberry.field(description="When the first version was uploaded.")
    updated_at: datetime = strawberry.field(
        description="When anything a reader sees of it last changed: what `updatedSince` compares."
    )
    version: int = strawberry.field(description="1 for the first upload, one more for each new version.")
    uploaded_at: datetime = strawberry.field(description="When the current version was uploaded.")
    deleted_at: datetime | None = strawberry.field(description="When it was moved to the trash, if it was.")
    title: str | None = strawberry.field(description="Its title, as the uploader recorded it.")
    number: str | None = strawberry.field(description="The reference number it bears (a decree's nomor).")
    document_date: date | None = strawberry.field(description="The date the document bears.")
    period: str | None = strawberry.field(
        description="The one period (`2026-Q1`) it is evidence for: it counts towards that period's "
        "requirements only. Without one, it counts for the latest required period that had begun when it "
        "was uploaded."
    )
    indicator_code: str | None = strawberry.field(
        description="The indicator of `report` that it supports, if it supports one."
    )
    custom_fields: list[DocumentCustomField] = strawberry.field(
        description="The custom fields of its category that were filled, by name."
    )
    ocr_confidence: float | None = strawberry.field(
        description="How sure OCR was of the text it read, 0 to 1 (the mean over the words); null when no "
        "text was read by OCR. Readable by those who may read the document (partners: if granted)."
    )
    region_code: strawberry.Private[str]
    report_id: strawberry.Private[str | None]
    case_id: strawberry.Private[str | None]
    region_path: strawberry.Private[list[str]]
    object_key: strawberry.Private[str]
    earlier: strawberry.Private[list[DocumentVersionModel]]
    media_info: strawberry.Private[MediaInfo | None] = None

    @classmethod
    def from_model(cls, document: StoredDocument | StoredDocumentSummary) -> Document:
        return cls(
            document_id=str(document.id),
            category=document.category,
            file_name=document.file_name,
            content_type=document.content_type,
            size=document.size,
            sha256=document.sha256,
            state=document.state,
            rejection_reason=document.rejection_reason,
            created_at=document.created_at,
            updated_at=document.updated_at,
            version=document.version,
            uploaded_at=document.uploaded_at or document.created_at,
            deleted_at=document.deleted_at,
            title=document.title,
            number=document.number,
            document_date=document.document_date.date() if document.document_date else None,
            period=document.period_key,
            indicator_code=document.indicator_code,
            custom_fields=[
                DocumentCustomField(name=name, value=value) for name, value in document.custom_fields.items()
            ],
            ocr_confidence=document.ocr_confidence,
            report_id=str(document.report_id) if document.report_id else None,
            case_id=str(document.case_id) if document.case_id else None,
            region_code=document.region_code,
            region_path=list(document.region_path),
            object_key=document.object_key,
            earlier=list(document.previous_versions),
            media_info=document.media,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await info.context.loaders.document.load_many(list(node_ids))
        return [cls.from_model(document) if document else None for document in found]

    @field(description="The region the document belongs to.", metadata=preset())
    async def region(self, info: Info) -> Region:
        region = await info.context.loaders.region.load(self.region_code)
        if region is None:
            raise LookupError(f"region {self.region_code} of document {self.document_id} is missing")
        return Region.from_model(region)

    @field(description="The report it supports, if any (and you can see it).")
    async def report(self, info: Info) -> Annotated[Report, strawberry.lazy("schema.reports.types")] | None:
        from schema.reports.types import Report

        found = await info.context.loaders.report.load(self.report_id) if self.report_id else None
        return Report.from_model(found) if found is not None else None

    @field(description="The case (obstacle) it supports, if any (and you can see it).")
    async def case(self, info: Info) -> Annotated[Case, strawberry.lazy("schema.cases.types")] | None:
        from schema.cases.types import Case

        found = await info.context.loaders.case.load(self.case_id) if self.case_id else None
        return Case.from_model(found) if found is not None else None

    @field(
        description="The text extracted from the file (OCR for scans and photos); null until it is read or "
        "when the file has none. Readable by those who may read the document (partners: if granted)."
    )
    async def extracted_text(self, info: Info) -> str | None:
        found = await info.context.loaders.document.load(self.document_id)
        return found.text if found is not None else None

    @field(
        description="What it is evidence of (indicators of reports, document requirements), each with the "
        "hub's check and a reviewer's verdict."
    )
    async def evidence(
        self, info: Info
    ) -> list[Annotated[Evidence, strawberry.lazy("schema.evidence.types")]]:
        from hub.evidence.listing import pieces_of_document
        from schema.evidence.types import Evidence

        found = await pieces_of_document(info.context.principal, PydanticObjectId(self.document_id))
        return [Evidence.from_model(piece) for piece in found]

    @field(description="Earlier versions, newest first; their files are kept.")
    def previous_versions(self) -> list[DocumentVersion]:
        in_trash = self.deleted_at is not None
        return [DocumentVersion.from_model(version, in_trash) for version in reversed(self.earlier)]

    @field(description=DOWNLOAD_URL_HELP)
    def download_url(self, info: Info) -> str | None:
        # The scope again, whichever way the document got here (a listing, a node, a mutation's answer): a
        # link is a bearer credential for the file.
        if self.deleted_at is not None or not info.context.principal.scope.covers(self.region_path):
            return None
        return _link(info, self.object_key, self.file_name, self.content_type)

    @field(
        description="Photos (JPEG, PNG, TIFF) once processed: their EXIF time and position, whether that "
        "lies in the region, and thumbnails without EXIF; null for other files, before processing and in the "
        "trash."
    )
    def media(self) -> DocumentMedia | None:
        if self.media_info is None or self.deleted_at is not None:
            return None
        return DocumentMedia.of(self.media_info, self.file_name)

    @field(
        description="Its share links, oldest first: those you made, or all of them for admins; empty for "
        "partner grants."
    )
    async def shares(self, info: Info) -> list[DocumentShare]:
        principal = info.context.principal
        if principal.is_partner:
            return []
        found = await info.context.loaders.document_shares.load(self.document_id)
        return [DocumentShare.from_model(share) for share in found if sees_share(principal, share)]

    @field(description="When the trash purge removes the document for good; null outside the trash.")
    def purge_after(self, info: Info) -> datetime | None:
        if self.deleted_at is None:
            return None
        return self.deleted_at + timedelta(days=info.context.clients.settings.trash_retention_days)


@strawberry.type(description="Why a document mutation did nothing.")
class DocumentError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: DocumentErrorCode = strawberry.field(description=ERROR_CODE)


async def visible_documents(info: Info, ids: list[str]) -> list[Document]:
    """The documents of these raw ids that the viewer may see, in order; those in the trash or outside the
    viewer's scope are left out."""
    found = await info.context.loaders.document.load_many(ids)
    return [Document.from_model(document) for document in found if document is not None]


@strawberry.type(description="A page of supporting documents.")
class DocumentConnection(relay.Connection[Document]):
    total_count: int = strawberry.field(description="How many documents match, over all pages.")

    @field(description="The documents of this page, without edges.")
    def nodes(self) -> list[Document]:
        return [edge.node for edge in self.edges]
