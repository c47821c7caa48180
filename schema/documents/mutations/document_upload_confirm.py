from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.documents.confirm import confirm_upload
from hub.documents.errors import DocumentError as DomainDocumentError
from schema.context import Info
from schema.describe import ERRORS
from schema.documents.mutations.common import document_errors, upload_id
from schema.documents.types import Document, DocumentError


@strawberry.type(description="What `documentUploadConfirm` answers.")
class DocumentUploadConfirmPayload:
    document: Document | None = strawberry.field(
        description="The document recorded (or given a new version), or the one that already held the file."
    )
    created: bool = strawberry.field(description="False when an identical file was already stored.")
    errors: list[DocumentError] = strawberry.field(description=ERRORS)


async def document_upload_confirm(
    info: Info,
    id: Annotated[
        relay.GlobalID,
        strawberry.argument(description="The upload's id (`DocumentUpload.id` from documentUploadRequest)."),
    ],
) -> DocumentUploadConfirmPayload:
    """Check the file POSTed for a presigned upload (size, type, SHA-256) and record it as a document, or as a
    new version of the document it replaces. A refusal removes the upload and its file."""
    context = info.context
    try:
        result = await confirm_upload(
            store=context.clients.store,
            dispatcher=context.dispatcher,
            settings=context.clients.settings,
            principal=context.principal,
            upload_id=upload_id(id),
            now=datetime.now(UTC),
        )
    except DomainDocumentError as error:
        return DocumentUploadConfirmPayload(document=None, created=False, errors=document_errors(error))
    return DocumentUploadConfirmPayload(
        document=Document.from_model(result.document), created=result.created, errors=[]
    )
