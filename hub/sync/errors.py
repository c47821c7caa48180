"""Error codes of incremental sync."""

from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class SyncErrorCode(StrEnum):
    SYNC_EXPIRED = "SYNC_EXPIRED"  # older than the tombstones kept: resync fully
    SINCE_IN_FUTURE = "SINCE_IN_FUTURE"


class SyncError(DomainError):
    def __init__(self, code: SyncErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)
