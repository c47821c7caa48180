"""`documentShareCreate`: a link to one document for a named recipient (hub.documents.shares)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.shares import create_share
from schema.context import Info
from schema.describe import ERRORS
from schema.documents.mutations.common import document_errors, document_id
from schema.documents.shares import SHARE_PATH, DocumentShare
from schema.documents.types import DocumentError


@strawberry.input(description="Who a share link is for, and until when.")
class DocumentShareCreateInput:
    recipient_name: str = strawberry.field(description="The recipient's name, as the access log shows it.")
    recipient_email: str | None = strawberry.field(
        default=None, description="The recipient's e-mail address, for the record (nothing is sent)."
    )
    expires_at: datetime = strawberry.field(
        description="When the link stops working: in the future, at most PANTAU_SHARE_LINK_MAX_DAYS away."
    )


@strawberry.type(description="What `documentShareCreate` answers.")
class DocumentShareCreatePayload:
    share: DocumentShare | None = strawberry.field(description="The link made; null when refused.")
    link: str | None = strawberry.field(
        description="The link's path on the hub (`/share/<token>`), shown only this once: only a hash of its "
        "token is kept. Anyone holding it can open the document until it expires or is revoked."
    )
    errors: list[DocumentError] = strawberry.field(description=ERRORS)


async def document_share_create(
    info: Info,
    id: Annotated[relay.GlobalID, strawberry.argument(description="The document to share.")],
    input: Annotated[DocumentShareCreateInput, strawberry.argument(description="The recipient and expiry.")],
) -> DocumentShareCreatePayload:
    context = info.context
    try:
        created = await create_share(
            context.principal,
            document_id(id),
            recipient_name=input.recipient_name,
            recipient_email=input.recipient_email,
            expires_at=input.expires_at,
            max_days=context.clients.settings.share_link_max_days,
            now=datetime.now(UTC),
        )
    except DomainDocumentError as error:
        return DocumentShareCreatePayload(share=None, link=None, errors=document_errors(error))
    return DocumentShareCreatePayload(
        share=DocumentShare.from_model(created.share), link=SHARE_PATH + created.token, errors=[]
    )
