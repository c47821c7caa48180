from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class RegionErrorCode(StrEnum):
    REGION_NOT_FOUND = "REGION_NOT_FOUND"


class RegionError(DomainError):
    def __init__(self, code: RegionErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)
