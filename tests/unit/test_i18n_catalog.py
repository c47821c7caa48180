"""The catalog is complete: every error code and message id reads in both languages, with the same
parameters, so a new code or text without its Indonesian fails here. And `Accept-Language` picks the language
it should."""

from __future__ import annotations

import importlib
import pkgutil
import string
from enum import StrEnum

import pytest

import hub
from hub.http.multipart import MultipartCode
from hub.i18n import DEFAULT_LANGUAGE, Language, Text, negotiate, render
from hub.i18n.catalog import CATALOG, code_key
from schema.error_codes import RequestErrorCode


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _domain_code_enums() -> list[type[StrEnum]]:
    """Every `*ErrorCode` enum of every domain package (hub/<domain>/errors.py)."""
    found: list[type[StrEnum]] = []
    for module in pkgutil.iter_modules(hub.__path__):
        if not module.ispkg:
            continue
        try:
            errors = importlib.import_module(f"hub.{module.name}.errors")
        except ModuleNotFoundError:
            continue
        found += [
            value
            for name, value in vars(errors).items()
            if name.endswith("ErrorCode") and isinstance(value, type) and issubclass(value, StrEnum)
        ]
    return found


def test_the_domains_error_enums_are_found() -> None:
    names = {enum.__name__ for enum in _domain_code_enums()}
    assert {"ReportErrorCode", "CaseErrorCode", "AccessErrorCode", "DocumentErrorCode"} <= names
    assert len(names) >= 14


@pytest.mark.parametrize(
    "enum", [*_domain_code_enums(), RequestErrorCode, MultipartCode], ids=lambda enum: enum.__name__
)
def test_every_error_code_has_a_text_in_both_languages(enum: type[StrEnum]) -> None:
    missing = [code.value for code in enum if code_key(code.value) not in CATALOG]
    assert missing == [], f"add these codes to hub/i18n/codes.py: {missing}"


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_text_has_both_languages_with_the_same_parameters(key: str) -> None:
    texts = CATALOG[key]
    assert texts.indonesian.strip() and texts.english.strip()
    assert _fields(texts.indonesian) == _fields(texts.english)
    assert texts.indonesian != texts.english, "an Indonesian text that is the English one was not translated"


def test_a_text_renders_in_each_language() -> None:
    text = Text("request.list_too_long", argument="ids", limit=100, count=101)
    assert text.render(Language.INDONESIAN) == "`ids` memuat paling banyak 100 butir; 101 butir dikirim"
    assert text.render(Language.ENGLISH) == "`ids` takes at most 100 items; 101 were given"
    assert render("code.REPORT_NOT_FOUND", Language.INDONESIAN) == "Laporan tidak ditemukan."


def test_an_unknown_message_id_is_refused_where_it_is_written() -> None:
    with pytest.raises(KeyError):
        Text("report.no_such_text")


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, Language.INDONESIAN),
        ("", Language.INDONESIAN),
        ("en", Language.ENGLISH),
        ("en-US", Language.ENGLISH),
        ("EN-gb", Language.ENGLISH),
        ("id", Language.INDONESIAN),
        ("id-ID", Language.INDONESIAN),
        ("id-ID;q=0.9,en;q=0.8", Language.INDONESIAN),
        ("en;q=0.8,id-ID;q=0.9", Language.INDONESIAN),
        ("id;q=0.5, en-US", Language.ENGLISH),
        ("fr-FR, en;q=0.5", Language.ENGLISH),
        ("fr-FR, de", Language.INDONESIAN),
        ("*", Language.INDONESIAN),
        ("en;q=0, *", Language.INDONESIAN),
        ("en;q=0", Language.INDONESIAN),
        ("en;q=abc", Language.INDONESIAN),
        ("en;q=2", Language.INDONESIAN),
        (";;,,=;q", Language.INDONESIAN),
        ("ja, en;q=0.1", Language.ENGLISH),
        ("en, id", Language.ENGLISH),
        ("id, en", Language.INDONESIAN),
        ("x" * 5000, Language.INDONESIAN),
    ],
)
def test_accept_language_is_negotiated(header: str | None, language: Language) -> None:
    assert negotiate(header) is language


def test_the_default_is_indonesian() -> None:
    assert DEFAULT_LANGUAGE is Language.INDONESIAN


@pytest.mark.parametrize(
    ("payload", "fallback", "language"),
    [
        (None, Language.ENGLISH, Language.ENGLISH),  # no payload: the upgrade request's header counts
        ({"Authorization": "Bearer x"}, Language.INDONESIAN, Language.INDONESIAN),
        ({"Accept-Language": "en-US"}, Language.INDONESIAN, Language.ENGLISH),
        ({"acceptLanguage": "id-ID,en;q=0.5"}, Language.ENGLISH, Language.INDONESIAN),
        ({"accept-language": "fr"}, Language.ENGLISH, Language.INDONESIAN),
        ({"Accept-Language": ["en"]}, Language.INDONESIAN, Language.INDONESIAN),  # not a header's text
    ],
)
def test_a_websocket_connection_init_may_name_the_language(
    payload: dict[str, object] | None, fallback: Language, language: Language
) -> None:
    from hub.http.graphql import connection_language

    assert connection_language(payload, fallback) is language
