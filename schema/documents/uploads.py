"""The GraphQL view of a presigned upload (hub.documents.presigned): not a Node; its id is only for
`documentUploadConfirm`, and only its requester can use it."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import TypeAlias

import strawberry

from hub.documents.models import PendingUpload
from hub.documents.models import UploadStatus as UploadStatusModel
from schema.context import Info
from schema.documents.mutations.common import UPLOAD_TYPE_NAME
from schema.documents.types import DocumentCategory
from schema.regions.types import Region

strawberry.enum(
    UploadStatusModel,
    name="DocumentUploadStatus",
    description="PENDING: waiting for the file and the confirmation; CONFIRMING: being checked; CONFIRMED: "
    "recorded as a document.",
)
DocumentUploadStatus: TypeAlias = UploadStatusModel


@strawberry.type(description="A presigned upload: PUT the file to its URL, then confirm it.")
class DocumentUpload:
    id: strawberry.ID = strawberry.field(description="Pass to documentUploadConfirm.")
    category: DocumentCategory
    file_name: str = strawberry.field(description="The cleaned display name.")
    size: int = strawberry.field(description="Declared bytes; the uploaded file must have exactly these.")
    sha256: str = strawberry.field(description="Declared SHA-256; the uploaded file must have exactly this.")
    status: DocumentUploadStatus
    url_expires_at: datetime = strawberry.field(description="The upload URL stops working at this time.")
    expires_at: datetime = strawberry.field(description="Confirm before this; afterwards it is purged.")
    region_code: strawberry.Private[str]

    @classmethod
    def from_model(cls, pending: PendingUpload) -> DocumentUpload:
        raw = f"{UPLOAD_TYPE_NAME}:{pending.id}".encode()
        return cls(
            id=strawberry.ID(base64.b64encode(raw).decode()),
            category=pending.category,
            file_name=pending.file_name,
            size=pending.size,
            sha256=pending.sha256,
            status=pending.status,
            url_expires_at=pending.url_expires_at,
            expires_at=pending.expires_at,
            region_code=pending.region_code,
        )

    @strawberry.field
    async def region(self, info: Info) -> Region:
        region = await info.context.loaders.region.load(self.region_code)
        if region is None:
            raise LookupError(f"region {self.region_code} of an upload is missing")
        return Region.from_model(region)
