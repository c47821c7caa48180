from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import strawberry
from strawberry import relay

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.trash import trash_document
from schema.context import Info
from schema.describe import ERRORS
from schema.documents.mutations.common import document_errors, document_id
from schema.documents.types import Document, DocumentError


@strawberry.type(description="What `documentDelete` answers.")
class DocumentDeletePayload:
    document: Document | None = strawberry.field(description="The document, now in the trash.")
    errors: list[DocumentError] = strawberry.field(description=ERRORS)


async def document_delete(
    info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The document's id.")]
) -> DocumentDeletePayload:
    """Move a document to the trash: hidden from lists, search and downloads, restorable with
    documentRestore until `purgeAfter`, then purged with its files. Operators and coordinators of the regions
    above it, reviewers and admins may do this."""
    context = info.context
    try:
        document = await trash_document(
            context.principal,
            document_id(id),
            dispatcher=context.dispatcher,
            retention=timedelta(days=context.clients.settings.trash_retention_days),
            now=datetime.now(UTC),
        )
    except DomainDocumentError as error:
        return DocumentDeletePayload(document=None, errors=document_errors(error))
    return DocumentDeletePayload(document=Document.from_model(document), errors=[])
