"""What the document mutations share: typed errors from domain errors, and checked global ids."""

from __future__ import annotations

from strawberry import relay

from hub.documents.errors import DocumentError as DomainDocumentError
from hub.documents.errors import DocumentErrorCode as DocumentErrorCodeModel
from schema.documents.types import DocumentError, DocumentErrorCode

UPLOAD_TYPE_NAME = "DocumentUpload"


def document_errors(error: DomainDocumentError) -> list[DocumentError]:
    return [DocumentError(field=error.field, message=error.message, code=DocumentErrorCode(error.code))]


def node_id(value: relay.GlobalID, type_name: str, code: DocumentErrorCodeModel, field: str) -> str:
    """The raw id inside a global id of the expected type, or a typed error naming the field."""
    if value.type_name != type_name:
        raise DomainDocumentError(code, f"`{field}` must be the id of a {type_name}", field)
    return value.node_id


def document_id(value: relay.GlobalID, field: str = "id") -> str:
    return node_id(value, "Document", DocumentErrorCodeModel.DOCUMENT_NOT_FOUND, field)


def region_code(value: relay.GlobalID, field: str = "region") -> str:
    return node_id(value, "Region", DocumentErrorCodeModel.REGION_NOT_FOUND, field)


def upload_id(value: relay.GlobalID) -> str:
    return node_id(value, UPLOAD_TYPE_NAME, DocumentErrorCodeModel.UPLOAD_NOT_FOUND, "id")
