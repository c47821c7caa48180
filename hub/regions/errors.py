from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError


class RegionErrorCode(StrEnum):
    REGION_NOT_FOUND = "REGION_NOT_FOUND"


class RegionError(DomainError):
    def __init__(self, code: RegionErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(code, message, field)
