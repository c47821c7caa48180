"""The hub's words in Indonesian (the default) and English: one catalog of texts keyed by a message id.

Codes never change with the language; only the `message` people read does. The domain raises its errors with
a code and, where it says more than the code, a `Text` (a message id and its parameters); the boundary that
answers a client (the GraphQL schema, the HTTP routes, notifications as they are read, e-mail as it is sent)
renders it in the reader's language, negotiated from `Accept-Language` (hub.i18n.language).
"""

from hub.i18n.language import DEFAULT_LANGUAGE, Language, current_language, negotiate, speaking
from hub.i18n.localize import localize
from hub.i18n.text import Text, render, render_code

__all__ = [
    "DEFAULT_LANGUAGE",
    "Language",
    "Text",
    "current_language",
    "localize",
    "negotiate",
    "render",
    "render_code",
    "speaking",
]
