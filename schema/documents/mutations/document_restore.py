from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import strawberry
from strawberry import relay

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.trash import restore_document
from schema.context import Info
from schema.describe import ERRORS
from schema.documents.mutations.common import document_errors, document_id
from schema.documents.types import Document, DocumentError


@strawberry.type(description="What `documentRestore` answers.")
class DocumentRestorePayload:
    document: Document | None = strawberry.field(description="The document, out of the trash.")
    errors: list[DocumentError] = strawberry.field(description=ERRORS)


async def document_restore(
    info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The document's id.")]
) -> DocumentRestorePayload:
    """Take a document out of the trash before it is purged; whoever may delete it may restore it."""
    context = info.context
    try:
        document = await restore_document(
            context.principal,
            document_id(id),
            dispatcher=context.dispatcher,
            retention=timedelta(days=context.clients.settings.trash_retention_days),
            now=datetime.now(UTC),
        )
    except DomainDocumentError as error:
        return DocumentRestorePayload(document=None, errors=document_errors(error))
    return DocumentRestorePayload(document=Document.from_model(document), errors=[])
