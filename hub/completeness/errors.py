from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class CompletenessErrorCode(StrEnum):
    INVALID_PERIOD = "INVALID_PERIOD"
    INVALID_REQUIREMENT = "INVALID_REQUIREMENT"
    DUPLICATE_REQUIREMENT = "DUPLICATE_REQUIREMENT"
    REQUIREMENT_NOT_FOUND = "REQUIREMENT_NOT_FOUND"
    REGION_NOT_FOUND = "REGION_NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"


class CompletenessError(DomainError):
    def __init__(self, code: CompletenessErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)
