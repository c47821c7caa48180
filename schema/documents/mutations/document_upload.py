from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.upload import upload_document
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID, CLIENT_MUTATION_ID_ECHO, ERRORS
from schema.documents.mutations.common import close_upload, streamed_file
from schema.documents.record_input import DocumentRecordInput, record_input
from schema.documents.types import Document, DocumentCategory, DocumentError, DocumentErrorCode
from schema.regions.code import RegionCode


@strawberry.input(description="A file to store as a supporting document of a region.")
class DocumentUploadInput:
    region: RegionCode = strawberry.field(description="The region the document belongs to.")
    category: DocumentCategory = strawberry.field(description="What kind of document it is.")
    file: Upload = strawberry.field(description="The file, as a multipart upload part.")
    record: DocumentRecordInput | None = strawberry.field(
        default=None, description="What the document is as a record: title, number, period, links, …"
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type(description="What `documentUpload` answers.")
class DocumentUploadPayload:
    document: Document | None = strawberry.field(
        description="The document stored, or the one of the region that already holds exactly this file."
    )
    created: bool = strawberry.field(description="False when an identical file was already stored.")
    errors: list[DocumentError] = strawberry.field(description=ERRORS)
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID_ECHO)


def _failed(error: DomainDocumentError, client_mutation_id: str | None) -> DocumentUploadPayload:
    return DocumentUploadPayload(
        document=None,
        created=False,
        errors=[
            DocumentError(field=error.field, message=error.localized(), code=DocumentErrorCode(error.code))
        ],
        client_mutation_id=client_mutation_id,
    )


async def document_upload(
    info: Info,
    input: Annotated[DocumentUploadInput, strawberry.argument(description="The file and where it belongs.")],
) -> DocumentUploadPayload:
    """Store a file for a region: type checked from its bytes, deduplicated by content, then ingested."""
    context = info.context
    try:
        result = await upload_document(
            store=context.clients.store,
            dispatcher=context.dispatcher,
            max_bytes=context.clients.settings.max_upload_bytes,
            max_video_bytes=context.clients.settings.max_video_bytes,
            region_code=input.region,
            category=input.category,
            file=streamed_file(input.file),
            principal=context.principal,
            client_mutation_id=input.client_mutation_id,
            record=record_input(input.record),
        )
    except DomainDocumentError as error:
        return _failed(error, input.client_mutation_id)
    finally:
        await close_upload(input.file)
    return DocumentUploadPayload(
        document=Document.from_model(result.document),
        created=result.created,
        errors=[],
        client_mutation_id=input.client_mutation_id,
    )
