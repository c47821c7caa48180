"""The GraphQL view of a presigned upload (hub.documents.presigned): not a Node; its id is only for
`documentUploadConfirm`, and only its requester can use it."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import TypeAlias

import strawberry

from hub.documents.links import SignedForm
from hub.documents.models import PendingUpload
from hub.documents.models import UploadStatus as UploadStatusModel
from schema.context import Info
from schema.describe import enum_type
from schema.documents.mutations.common import UPLOAD_TYPE_NAME
from schema.documents.types import DocumentCategory
from schema.fields import field
from schema.regions.types import Region

enum_type(
    UploadStatusModel,
    name="DocumentUploadStatus",
    description="Where a presigned upload stands.",
    values={
        "PENDING": "Waiting for the file and the confirmation.",
        "CONFIRMING": "The file is being checked (size, SHA-256, type).",
        "CONFIRMED": "Recorded as a document.",
    },
)
DocumentUploadStatus: TypeAlias = UploadStatusModel


@strawberry.type(description="One field of an upload form: send it as a form field, with this exact value.")
class DocumentUploadFormField:
    name: str = strawberry.field(description="The form field's name, such as `key` or `policy`.")
    value: str = strawberry.field(description="Its value, sent unchanged.")


@strawberry.type(
    description="Where and how to send the file of a presigned upload: an HTTP POST of `multipart/form-data` "
    "to `url` with every one of `fields` (in this order, nothing else) and then the file as the last part, "
    "named `file`. Object storage itself refuses a file of another size than the one declared, and any "
    "POST after `expiresAt`."
)
class DocumentUploadForm:
    url: str = strawberry.field(description="The object storage address to POST to.")
    fields: list[DocumentUploadFormField] = strawberry.field(description="The form fields, in order.")
    expires_at: datetime = strawberry.field(description="Object storage refuses the form after this time.")

    @classmethod
    def from_signed(cls, form: SignedForm) -> DocumentUploadForm:
        return cls(
            url=form.url,
            fields=[DocumentUploadFormField(name=name, value=value) for name, value in form.fields.items()],
            expires_at=form.expires_at,
        )


@strawberry.type(description="A presigned upload: POST the file with its form, then confirm it.")
class DocumentUpload:
    id: strawberry.ID = strawberry.field(description="Pass to documentUploadConfirm.")
    category: DocumentCategory = strawberry.field(description="The category the document will have.")
    file_name: str = strawberry.field(description="The cleaned display name.")
    size: int = strawberry.field(description="Declared bytes; the uploaded file must have exactly these.")
    sha256: str = strawberry.field(description="Declared SHA-256; the uploaded file must have exactly this.")
    status: DocumentUploadStatus = strawberry.field(description="Where the upload stands.")
    url_expires_at: datetime = strawberry.field(description="The upload form stops working at this time.")
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

    @field(description="The region the document will belong to.")
    async def region(self, info: Info) -> Region:
        region = await info.context.loaders.region.load(self.region_code)
        if region is None:
            raise LookupError(f"region {self.region_code} of an upload is missing")
        return Region.from_model(region)
