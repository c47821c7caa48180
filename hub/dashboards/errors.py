from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class DashboardErrorCode(StrEnum):
    REGION_NOT_FOUND = "REGION_NOT_FOUND"
    INVALID_RANGE = "INVALID_RANGE"


class DashboardError(DomainError):
    def __init__(self, code: DashboardErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)
