from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Text


class AccessErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    INVALID_TOKEN = "INVALID_TOKEN"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    TOKEN_REUSED = "TOKEN_REUSED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    USER_NOT_FOUND = "USER_NOT_FOUND"
    USERNAME_TAKEN = "USERNAME_TAKEN"
    INVALID_USERNAME = "INVALID_USERNAME"
    INVALID_EMAIL = "INVALID_EMAIL"
    WEAK_PASSWORD = "WEAK_PASSWORD"
    REGION_NOT_FOUND = "REGION_NOT_FOUND"
    INVALID_ROLE_FOR_REGION = "INVALID_ROLE_FOR_REGION"
    GRANT_NOT_FOUND = "GRANT_NOT_FOUND"
    INVALID_GRANT = "INVALID_GRANT"
    GRANT_REVOKED = "GRANT_REVOKED"
    NOT_NARROWER = "NOT_NARROWER"
    CONFLICT = "CONFLICT"
    LOGIN_THROTTLED = "LOGIN_THROTTLED"
    ONE_LOGIN_PER_REQUEST = "ONE_LOGIN_PER_REQUEST"


class AccessError(DomainError):
    def __init__(
        self,
        code: AccessErrorCode,
        message: str | Text,
        field: str | None = None,
        *,
        retry_after_seconds: int | None = None,
    ) -> None:
        super().__init__(code, message, field)
        self.retry_after_seconds = retry_after_seconds
        """When trying again may succeed (LOGIN_THROTTLED)."""
