from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.presigned import request_upload
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID, CLIENT_MUTATION_ID_ECHO, ERRORS
from schema.documents.mutations.common import document_errors, document_id
from schema.documents.record_input import DocumentRecordInput, record_input
from schema.documents.types import Document, DocumentCategory, DocumentError
from schema.documents.uploads import DocumentUpload, DocumentUploadForm
from schema.regions.code import RegionCode


@strawberry.input(
    description="A file to upload straight to object storage: declared first, checked at confirm."
)
class DocumentUploadRequestInput:
    region: RegionCode = strawberry.field(description="The region the document belongs to.")
    category: DocumentCategory = strawberry.field(description="What kind of document it is.")
    file_name: str = strawberry.field(description="The file's name, for display only.")
    size: int = strawberry.field(description="Bytes; at most the upload limit.")
    sha256: str = strawberry.field(description="SHA-256 of the file, hexadecimal.")
    content_type: str | None = strawberry.field(
        default=None, description="Optional claim, refused early when not an accepted type; never trusted."
    )
    replaces: relay.GlobalID | None = strawberry.field(
        default=None, description="A Document of the same region: the file becomes its new version."
    )
    record: DocumentRecordInput | None = strawberry.field(
        default=None,
        description="What the new document is as a record (title, number, period, links); not with "
        "`replaces`.",
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type(description="What `documentUploadRequest` answers.")
class DocumentUploadRequestPayload:
    upload: DocumentUpload | None = strawberry.field(
        description="The pending upload; confirm it with documentUploadConfirm once the file is POSTed."
    )
    upload_form: DocumentUploadForm | None = strawberry.field(
        description="POST the file's bytes with this form (exactly the declared size), then "
        "documentUploadConfirm."
    )
    expires_at: datetime | None = strawberry.field(description="When the upload form stops working.")
    document: Document | None = strawberry.field(
        description="Set instead of an upload when the region already holds exactly this file."
    )
    errors: list[DocumentError] = strawberry.field(description=ERRORS)
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID_ECHO)


async def document_upload_request(
    info: Info,
    input: Annotated[
        DocumentUploadRequestInput, strawberry.argument(description="The file as declared, and its region.")
    ],
) -> DocumentUploadRequestPayload:
    """Start an upload of a large file: the hub checks what it can now and returns a presigned POST form."""
    context = info.context
    try:
        ticket = await request_upload(
            settings=context.clients.settings,
            principal=context.principal,
            region_code=input.region,
            category=input.category,
            file_name=input.file_name,
            size=input.size,
            sha256=input.sha256,
            declared_type=input.content_type,
            replaces=document_id(input.replaces, "replaces") if input.replaces else None,
            client_mutation_id=input.client_mutation_id,
            now=datetime.now(UTC),
            record=record_input(input.record),
        )
    except DomainDocumentError as error:
        return DocumentUploadRequestPayload(
            upload=None,
            upload_form=None,
            expires_at=None,
            document=None,
            errors=document_errors(error),
            client_mutation_id=input.client_mutation_id,
        )
    return DocumentUploadRequestPayload(
        upload=DocumentUpload.from_model(ticket.upload) if ticket.upload else None,
        upload_form=DocumentUploadForm.from_signed(ticket.form) if ticket.form else None,
        expires_at=ticket.form.expires_at if ticket.form else None,
        document=Document.from_model(ticket.existing) if ticket.existing else None,
        errors=[],
        client_mutation_id=input.client_mutation_id,
    )
