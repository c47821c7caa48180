from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class WebhookErrorCode(StrEnum):
    GRANT_NOT_FOUND = "GRANT_NOT_FOUND"
    GRANT_INACTIVE = "GRANT_INACTIVE"
    INVALID_URL = "INVALID_URL"
    URL_NOT_ALLOWED = "URL_NOT_ALLOWED"
    WEBHOOK_NOT_SET = "WEBHOOK_NOT_SET"
    DELIVERY_NOT_FOUND = "DELIVERY_NOT_FOUND"
    DELIVERY_BUSY = "DELIVERY_BUSY"


class WebhookError(DomainError):
    def __init__(self, code: WebhookErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)
