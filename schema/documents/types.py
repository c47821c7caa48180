from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.documents.errors import DocumentErrorCode as DocumentErrorCodeModel
from hub.documents.models import DocumentCategory as DocumentCategoryModel
from hub.documents.models import DocumentState as DocumentStateModel
from hub.documents.models import StoredDocument
from schema.context import Info
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
    region_code: strawberry.Private[str]

    @classmethod
    def from_model(cls, document: StoredDocument) -> Document:
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
            region_code=document.region_code,
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


@strawberry.type(description="Why a document mutation did nothing.")
class DocumentError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str
    code: DocumentErrorCode
