"""What the document mutations share: typed errors from domain errors, and checked global ids."""

from __future__ import annotations

from typing import Any

from strawberry import relay

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.errors import DocumentErrorCode as DocumentErrorCodeModel
from hub.documents.receive import FileSource
from hub.documents.upload import StreamedFile
from hub.i18n import Text
from schema.documents.types import DocumentError
from schema.mutations import MutationErrors

UPLOAD_TYPE_NAME = "DocumentUpload"


DOCUMENT_ERRORS = MutationErrors(DomainDocumentError, DocumentError)
document_errors = DOCUMENT_ERRORS.typed


def document_id(value: relay.GlobalID, field: str = "id") -> str:
    return DOCUMENT_ERRORS.raw_id(value, "Document", DocumentErrorCodeModel.DOCUMENT_NOT_FOUND, field)


def upload_id(value: relay.GlobalID) -> str:
    return DOCUMENT_ERRORS.raw_id(value, UPLOAD_TYPE_NAME, DocumentErrorCodeModel.UPLOAD_NOT_FOUND, "id")


def streamed_file(value: Any, field: str = "file") -> StreamedFile:
    """The file of an `Upload` argument. Outside a multipart request (or when the multipart map points a JSON
    value at it) the argument holds that value instead: FILE_REQUIRED, not a failure inside."""
    if not isinstance(value, FileSource):
        raise DomainDocumentError(
            DocumentErrorCodeModel.FILE_REQUIRED,
            Text("documents.file_required", field=field),
            field,
        )
    return StreamedFile(source=value)


async def close_upload(value: Any) -> None:
    """Releases the multipart part behind an `Upload` argument; a JSON value given instead holds nothing."""
    if isinstance(value, FileSource):
        close = getattr(value, "close", None)
        if close is not None:
            await close()
