from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.upload import add_version
from schema.context import Info
from schema.describe import ERRORS
from schema.documents.mutations.common import close_upload, document_errors, document_id, streamed_file
from schema.documents.types import Document, DocumentCategory, DocumentError


@strawberry.input(description="A new version of a document's file; the earlier versions are kept.")
class DocumentVersionAddInput:
    file: Upload = strawberry.field(description="The file, as a multipart upload part.")
    category: DocumentCategory | None = strawberry.field(
        default=None, description="A new category for the document; unchanged when left out."
    )


@strawberry.type(description="What `documentVersionAdd` answers.")
class DocumentVersionAddPayload:
    document: Document | None = strawberry.field(description="The document, with its new version.")
    created: bool = strawberry.field(
        description="False when the file is the current version already (a retry): nothing changed."
    )
    errors: list[DocumentError] = strawberry.field(description=ERRORS)


async def document_version_add(
    info: Info,
    id: Annotated[relay.GlobalID, strawberry.argument(description="The document's id.")],
    input: Annotated[DocumentVersionAddInput, strawberry.argument(description="The new file.")],
) -> DocumentVersionAddPayload:
    """Upload a new version of a document: the same checks as a new upload; it is extracted and indexed
    again."""
    context = info.context
    try:
        result = await add_version(
            store=context.clients.store,
            dispatcher=context.dispatcher,
            max_bytes=context.clients.settings.max_upload_bytes,
            max_video_bytes=context.clients.settings.max_video_bytes,
            document_id=document_id(id),
            category=input.category,
            file=streamed_file(input.file),
            principal=context.principal,
        )
    except DomainDocumentError as error:
        return DocumentVersionAddPayload(document=None, created=False, errors=document_errors(error))
    finally:
        await close_upload(input.file)
    return DocumentVersionAddPayload(
        document=Document.from_model(result.document), created=result.created, errors=[]
    )
