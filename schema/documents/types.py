from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.documents.errors import DocumentErrorCode as DocumentErrorCodeModel
from hub.documents.links import download_url
from hub.documents.models import DocumentCategory as DocumentCategoryModel
from hub.documents.models import DocumentState as DocumentStateModel
from hub.documents.models import DocumentVersion as DocumentVersionModel
from hub.documents.models import StoredDocument, StoredDocumentSummary
from schema.context import Info
from schema.fields import field
from schema.regions.types import Region

# The domain enums are exposed as they are, under GraphQL names.
strawberry.enum(DocumentCategoryModel, name="DocumentCategory")
strawberry.enum(
    DocumentStateModel,
    name="DocumentState",
    description="Processing state: stored → extracted → indexed, or rejected with a reason.",
)
strawberry.enum(DocumentErrorCodeModel, name="DocumentErrorCode")
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
    version: int
    category: DocumentCategory
    file_name: str = strawberry.field(description="The uploader's file name, for display only.")
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
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


@strawberry.type(description="A supporting document (data dukung) uploaded for a region.")
class Document(relay.Node):
    document_id: relay.NodeID[str]
    category: DocumentCategory
    file_name: str = strawberry.field(description="The uploader's file name, for display only.")
    content_type: str = strawberry.field(description="Detected from the file's bytes.")
    size: int = strawberry.field(description="Bytes.")
    sha256: str
    state: DocumentState
    rejection_reason: str | None = strawberry.field(description="Why processing refused the file.")
    created_at: datetime
    version: int = strawberry.field(description="1 for the first upload, one more for each new version.")
    uploaded_at: datetime = strawberry.field(description="When the current version was uploaded.")
    deleted_at: datetime | None = strawberry.field(description="When it was moved to the trash, if it was.")
    region_code: strawberry.Private[str]
    region_path: strawberry.Private[list[str]]
    object_key: strawberry.Private[str]
    earlier: strawberry.Private[list[DocumentVersionModel]]

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
            version=document.version,
            uploaded_at=document.uploaded_at or document.created_at,
            deleted_at=document.deleted_at,
            region_code=document.region_code,
            region_path=list(document.region_path),
            object_key=document.object_key,
            earlier=list(document.previous_versions),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await info.context.loaders.document.load_many(list(node_ids))
        return [cls.from_model(document) if document else None for document in found]

    @strawberry.field
    async def region(self, info: Info) -> Region:
        region = await info.context.loaders.region.load(self.region_code)
        if region is None:
            raise LookupError(f"region {self.region_code} of document {self.document_id} is missing")
        return Region.from_model(region)

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

    @field(description="When the trash purge removes the document for good; null outside the trash.")
    def purge_after(self, info: Info) -> datetime | None:
        if self.deleted_at is None:
            return None
        return self.deleted_at + timedelta(days=info.context.clients.settings.trash_retention_days)


@strawberry.type(description="Why a document mutation did nothing.")
class DocumentError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str
    code: DocumentErrorCode


@strawberry.type
class DocumentConnection(relay.Connection[Document]):
    total_count: int = strawberry.field(description="How many documents match, over all pages.")

    @field(description="The documents of this page, without edges.")
    def nodes(self) -> list[Document]:
        return [edge.node for edge in self.edges]
