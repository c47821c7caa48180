from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class ElectionErrorCode(StrEnum):
    ELECTION_NOT_FOUND = "ELECTION_NOT_FOUND"
    STAGE_NOT_FOUND = "STAGE_NOT_FOUND"
    REGION_NOT_FOUND = "REGION_NOT_FOUND"
    INVALID_ELECTION = "INVALID_ELECTION"
    INVALID_STAGE = "INVALID_STAGE"
    INVALID_DATES = "INVALID_DATES"
    DUPLICATE_STAGE = "DUPLICATE_STAGE"
    DUPLICATE_ELECTION = "DUPLICATE_ELECTION"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    CONFLICT = "CONFLICT"


class ElectionError(DomainError):
    def __init__(self, code: ElectionErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)
