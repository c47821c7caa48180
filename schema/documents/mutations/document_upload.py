from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.errors import DocumentErrorCode as DocumentErrorCodeModel
from hub.documents.upload import upload_document
from schema.context import Info
from schema.documents.mutations.common import close_upload, streamed_file
from schema.documents.types import Document, DocumentCategory, DocumentError, DocumentErrorCode


@strawberry.input(description="A file to store as a supporting document of a region.")
class DocumentUploadInput:
    region: relay.GlobalID = strawberry.field(description="The region the document belongs to.")
    category: DocumentCategory
    file: Upload = strawberry.field(description="The file, as a multipart upload part.")
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Set by the client; a retry with the same value returns the first result."
    )


@strawberry.type
class DocumentUploadPayload:
    document: Document | None
    created: bool = strawberry.field(description="False when an identical file was already stored.")
    errors: list[DocumentError]
    client_mutation_id: str | None


def _failed(error: DomainDocumentError, client_mutation_id: str | None) -> DocumentUploadPayload:
    return DocumentUploadPayload(
        document=None,
        created=False,
        errors=[DocumentError(field=error.field, message=error.message, code=DocumentErrorCode(error.code))],
        client_mutation_id=client_mutation_id,
    )


async def document_upload(info: Info, input: DocumentUploadInput) -> DocumentUploadPayload:
    """Store a file for a region: type checked from its bytes, deduplicated by content, then ingested."""
    context = info.context
    if input.region.type_name != "Region":
        return _failed(
            DomainDocumentError(
                DocumentErrorCodeModel.REGION_NOT_FOUND, "`region` must be the id of a Region", "region"
            ),
            input.client_mutation_id,
        )
    try:
        result = await upload_document(
            store=context.clients.store,
            dispatcher=context.dispatcher,
            max_bytes=context.clients.settings.max_upload_bytes,
            region_code=input.region.node_id,
            category=input.category,
            file=streamed_file(input.file),
            principal=context.principal,
            client_mutation_id=input.client_mutation_id,
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
