"""A text to show someone: a message id of the catalog and its parameters, rendered in a language.

Parameters are formatted with `str.format` fields (`{region}`), so both languages of a message name the same
ones (tests/unit/test_i18n_catalog.py checks it). Values are formatted as the field says (`{code!r}`,
`{due:%Y-%m-%d}`); a value that is a Text is rendered in the same language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.i18n.catalog import CATALOG, code_key
from hub.i18n.language import Language, current_language


@dataclass(frozen=True, eq=True)
class Text:
    """`Text("cases.due_within", max_due_days=90)`: an unknown message id is refused here, where it is
    written, rather than when a client reads it. `str()` is the English (logs, `DomainError.message`)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, /, **params: Any) -> None:
        if key not in CATALOG:
            raise KeyError(f"no text {key!r} in the catalog (hub/i18n)")
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", params)

    def render(self, language: Language | None = None) -> str:
        return render(self.key, language, **self.params)

    def __str__(self) -> str:
        return self.render(Language.ENGLISH)


def render(key: str, language: Language | None = None, /, **params: Any) -> str:
    """The catalog's text `key` in `language` (the current request's when None), its fields filled in."""
    texts = CATALOG[key]
    language = language or current_language()
    template = texts.english if language is Language.ENGLISH else texts.indonesian
    # The values as they are: a field may convert (`{code!r}`) or format (`{due:%Y-%m-%d}`) them. A value that
    # is a Text itself (a phrase: who may act) is rendered in the same language.
    values = {
        name: value.render(language) if isinstance(value, Text) else value for name, value in params.items()
    }
    return template.format_map(values)


def render_code(code: str, language: Language | None = None) -> str:
    """The general text of an error code: what a message says when nothing more specific was written."""
    return render(code_key(code), language)
