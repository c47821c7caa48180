"""documentUpdate: a document's record fields and category (hub.documents.update)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.update import update_document
from schema.context import Info
from schema.describe import ERRORS
from schema.documents.mutations.common import document_errors, document_id
from schema.documents.record_input import DocumentRecordInput, record_input
from schema.documents.types import Document, DocumentCategory, DocumentError


@strawberry.type(description="What `documentUpdate` answers.")
class DocumentUpdatePayload:
    document: Document | None = strawberry.field(description="The document as it is now.")
    errors: list[DocumentError] = strawberry.field(description=ERRORS)


async def document_update(
    info: Info,
    id: Annotated[relay.GlobalID, strawberry.argument(description="The document's id.")],
    record: Annotated[
        DocumentRecordInput | None,
        strawberry.argument(description="The record fields to change; those left out are kept."),
    ] = None,
    category: Annotated[
        DocumentCategory | None,
        strawberry.argument(description="A new category; its custom fields must fit it."),
    ] = None,
) -> DocumentUpdatePayload:
    """Change what a document is as a record; whoever may change the document may do this. Audited with the
    values before and after; a change of category, period or report asks for its evidence to be checked
    again."""
    context = info.context
    try:
        document = await update_document(
            context.principal,
            document_id(id),
            record_input(record),
            category=category,
            dispatcher=context.dispatcher,
            now=datetime.now(UTC),
        )
    except DomainDocumentError as error:
        return DocumentUpdatePayload(document=None, errors=document_errors(error))
    return DocumentUpdatePayload(document=Document.from_model(document), errors=[])
