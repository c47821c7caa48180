"""The languages the hub speaks, and which one a request gets from its `Accept-Language` header.

Indonesian is the default: no header, an empty or malformed one, or only languages the hub does not speak all
get Indonesian. Among the languages the header accepts (RFC 9110 §12.5.4: a weight `q` from 0 to 1, 1 when
left out; `q=0` refuses), the one with the highest weight that the hub speaks wins; a region subtag is
ignored (`id-ID` is Indonesian, `en-US` English); `*` stands for the default; equal weights keep the header's
order.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from enum import StrEnum


class Language(StrEnum):
    INDONESIAN = "id"
    ENGLISH = "en"


DEFAULT_LANGUAGE = Language.INDONESIAN
# A header longer than this is not read further (its first languages are the ones that count anyway).
MAX_HEADER_LENGTH = 1024
MAX_RANGES = 32

_current: ContextVar[Language] = ContextVar("pantau_language", default=DEFAULT_LANGUAGE)


def _weight(parameters: list[str]) -> float | None:
    """The `q` of a language range's parameters (1 without one); None when it is not a valid weight."""
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() != "q":
            continue
        try:
            weight = float(value.strip())
        except ValueError:
            return None
        return weight if 0 <= weight <= 1 else None
    return 1.0


def _language(tag: str) -> Language | None:
    if tag == "*":
        return DEFAULT_LANGUAGE
    primary = tag.split("-", 1)[0].lower()
    return next((language for language in Language if language.value == primary), None)


def negotiate(header: str | None) -> Language:
    """The language to answer a request with `Accept-Language: header` in."""
    if not header:
        return DEFAULT_LANGUAGE
    best: tuple[float, Language] | None = None
    for part in header[:MAX_HEADER_LENGTH].split(",")[:MAX_RANGES]:
        tag, *parameters = part.strip().split(";")
        weight = _weight(parameters)
        language = _language(tag.strip())
        if language is None or weight is None or weight <= 0:
            continue
        if best is None or weight > best[0]:
            best = (weight, language)
    return DEFAULT_LANGUAGE if best is None else best[1]


def current_language() -> Language:
    """The language of the request being answered (set with `speaking`); the default outside one."""
    return _current.get()


@contextmanager
def speaking(language: Language) -> Iterator[None]:
    """Renders texts in `language` within the block (the GraphQL schema wraps each operation in it)."""
    token = _current.set(language)
    try:
        yield
    finally:
        # Left in another context (a subscription's generator closed elsewhere): the value ends with it.
        with suppress(ValueError):
            _current.reset(token)
