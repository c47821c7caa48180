"""A message as a client reads it: a `Text` rendered, or a plain string with the general text of its code."""

from __future__ import annotations

from hub.i18n.catalog import CATALOG, code_key
from hub.i18n.language import Language, current_language
from hub.i18n.text import Text, render_code


def localize(message: str | Text, code: str | None, language: Language | None = None) -> str:
    """`message` in `language` (the current request's when None). A plain string is English as it was
    written: in English it is kept; in another language the general text of `code` stands for it (or the
    string itself when the code has none)."""
    language = language or current_language()
    if isinstance(message, Text):
        return message.render(language)
    if language is Language.ENGLISH or code is None or code_key(code) not in CATALOG:
        return message
    return render_code(code, language)
