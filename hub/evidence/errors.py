from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError


class EvidenceErrorCode(StrEnum):
    EVIDENCE_NOT_FOUND = "EVIDENCE_NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    REASON_REQUIRED = "REASON_REQUIRED"
    INVALID_REASON = "INVALID_REASON"
    CONFLICT = "CONFLICT"


class EvidenceError(DomainError):
    def __init__(self, code: EvidenceErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(code, message, field)
