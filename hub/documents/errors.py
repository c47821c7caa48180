from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError


class DocumentErrorCode(StrEnum):
    REGION_NOT_FOUND = "REGION_NOT_FOUND"
    EMPTY_FILE = "EMPTY_FILE"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"
    INVALID_FILE_NAME = "INVALID_FILE_NAME"
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"
    PERMISSION_DENIED = "PERMISSION_DENIED"


class DocumentError(DomainError):
    def __init__(self, code: DocumentErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(code, message, field)
