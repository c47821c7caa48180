"""The error codes of comments: every refusal names the input field at fault; nothing is written."""

from __future__ import annotations

from enum import StrEnum

from hub.errors import DomainError


class CommentErrorCode(StrEnum):
    RECORD_NOT_FOUND = "RECORD_NOT_FOUND"
    COMMENT_NOT_FOUND = "COMMENT_NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    BODY_REQUIRED = "BODY_REQUIRED"
    BODY_TOO_LONG = "BODY_TOO_LONG"
    TOO_MANY_MENTIONS = "TOO_MANY_MENTIONS"
    MENTION_NOT_ALLOWED = "MENTION_NOT_ALLOWED"
    COMMENT_DELETED = "COMMENT_DELETED"
    TOO_MANY_EDITS = "TOO_MANY_EDITS"
    INVALID_CLIENT_MUTATION_ID = "INVALID_CLIENT_MUTATION_ID"
    CONFLICT = "CONFLICT"


class CommentError(DomainError):
    def __init__(self, code: CommentErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(code, message, field)
