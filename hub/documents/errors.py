from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class DocumentErrorCode(StrEnum):
    REGION_NOT_FOUND = "REGION_NOT_FOUND"
    EMPTY_FILE = "EMPTY_FILE"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"
    INVALID_FILE_NAME = "INVALID_FILE_NAME"
    FILE_REQUIRED = "FILE_REQUIRED"  # an Upload argument given a JSON value instead of a multipart part
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    # Presigned uploads
    INVALID_SHA256 = "INVALID_SHA256"
    UPLOAD_NOT_FOUND = "UPLOAD_NOT_FOUND"
    UPLOAD_EXPIRED = "UPLOAD_EXPIRED"
    FILE_NOT_UPLOADED = "FILE_NOT_UPLOADED"
    CONFIRM_IN_PROGRESS = "CONFIRM_IN_PROGRESS"
    SIZE_MISMATCH = "SIZE_MISMATCH"
    HASH_MISMATCH = "HASH_MISMATCH"
    # Documents, versions and the trash
    DOCUMENT_NOT_FOUND = "DOCUMENT_NOT_FOUND"
    REGION_MISMATCH = "REGION_MISMATCH"
    DUPLICATE_CONTENT = "DUPLICATE_CONTENT"
    DOCUMENT_IN_TRASH = "DOCUMENT_IN_TRASH"
    NOT_IN_TRASH = "NOT_IN_TRASH"
    TRASH_EXPIRED = "TRASH_EXPIRED"
    CONFLICT = "CONFLICT"
    # Listing, and the record's links
    REPORT_NOT_FOUND = "REPORT_NOT_FOUND"
    # Share links
    INVALID_SHARE = "INVALID_SHARE"
    SHARE_NOT_FOUND = "SHARE_NOT_FOUND"
    CASE_NOT_FOUND = "CASE_NOT_FOUND"
    INVALID_METADATA = "INVALID_METADATA"


class DocumentError(DomainError):
    def __init__(self, code: DocumentErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)
