"""The base of every domain error: a stable code, a message for people, and the input field at fault."""

from __future__ import annotations

from enum import StrEnum

from hub.i18n import Language, Text, localize


class DomainError(Exception):
    """Raised by domain services for bad input or a refused action; nothing has been changed.

    `message` is a `Text` of the catalog (hub.i18n) when the error says more than its code, or an English
    string; `localized` is what a client reads, in its language. `.message` stays the English text (logs)."""

    def __init__(self, code: StrEnum, message: str | Text, field: str | None = None) -> None:
        self.text = message if isinstance(message, Text) else None
        english = message.render(Language.ENGLISH) if isinstance(message, Text) else message
        super().__init__(english)
        self.code = code
        self.message = english
        self.field = field

    @property
    def raised_message(self) -> str | Text:
        """The message as it was raised (a Text, or English), to raise again under another error."""
        return self.text or self.message

    def localized(self, language: Language | None = None) -> str:
        """The message in `language` (the current request's when None)."""
        return localize(self.text or self.message, self.code.value, language)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code.value!r}, {self.message!r}, field={self.field!r})"
