"""What the document mutations share: typed errors from domain errors, and checked global ids."""

from __future__ import annotations

from strawberry import relay

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.errors import DocumentErrorCode as DocumentErrorCodeModel
from schema.documents.types import DocumentError
from schema.mutations import MutationErrors

UPLOAD_TYPE_NAME = "DocumentUpload"


DOCUMENT_ERRORS = MutationErrors(DomainDocumentError, DocumentError)
document_errors = DOCUMENT_ERRORS.typed


def document_id(value: relay.GlobalID, field: str = "id") -> str:
    return DOCUMENT_ERRORS.raw_id(value, "Document", DocumentErrorCodeModel.DOCUMENT_NOT_FOUND, field)


def region_code(value: relay.GlobalID, field: str = "region") -> str:
    return DOCUMENT_ERRORS.raw_id(value, "Region", DocumentErrorCodeModel.REGION_NOT_FOUND, field)


def upload_id(value: relay.GlobalID) -> str:
    return DOCUMENT_ERRORS.raw_id(value, UPLOAD_TYPE_NAME, DocumentErrorCodeModel.UPLOAD_NOT_FOUND, "id")
