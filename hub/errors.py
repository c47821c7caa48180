"""The base of every domain error: a stable code, a message for people, and the input field at fault."""

from __future__ import annotations

from enum import StrEnum


class DomainError(Exception):
    """Raised by domain services for bad input or a refused action; nothing has been changed."""

    def __init__(self, code: StrEnum, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code.value!r}, {self.message!r}, field={self.field!r})"
