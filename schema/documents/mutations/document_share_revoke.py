"""`documentShareRevoke`: a share link stops opening its document at once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.errors import DocumentErrorCode
from hub.documents.shares import revoke_share
from schema.context import Info
from schema.describe import ERRORS
from schema.documents.mutations.common import DOCUMENT_ERRORS, document_errors
from schema.documents.shares import DocumentShare
from schema.documents.types import DocumentError


@strawberry.type(description="What `documentShareRevoke` answers.")
class DocumentShareRevokePayload:
    share: DocumentShare | None = strawberry.field(description="The link, now revoked.")
    errors: list[DocumentError] = strawberry.field(description=ERRORS)


async def document_share_revoke(
    info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The share link's id.")]
) -> DocumentShareRevokePayload:
    try:
        raw = DOCUMENT_ERRORS.raw_id(id, "DocumentShare", DocumentErrorCode.SHARE_NOT_FOUND)
        share = await revoke_share(info.context.principal, raw, now=datetime.now(UTC))
    except DomainDocumentError as error:
        return DocumentShareRevokePayload(share=None, errors=document_errors(error))
    return DocumentShareRevokePayload(share=DocumentShare.from_model(share), errors=[])
