from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class NotificationErrorCode(StrEnum):
    NOTIFICATION_NOT_FOUND = "NOTIFICATION_NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"


class NotificationError(DomainError):
    def __init__(self, code: NotificationErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)
