from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class AuditErrorCode(StrEnum):
    PERMISSION_DENIED = "PERMISSION_DENIED"
    INVALID_FILTER = "INVALID_FILTER"
    USER_NOT_FOUND = "USER_NOT_FOUND"


class AuditError(DomainError):
    def __init__(self, code: AuditErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)
