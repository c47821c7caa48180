"""Marks words in a snippet whose stem matches the query's, so 'memilih' highlights 'pemilihan' too.

Elasticsearch highlights the original-words field, which only knows exact words; the stems are ours.
"""

from __future__ import annotations

import re

from search.analysis import WORD, stem_word

_MARKED = re.compile(r"(<em>.*?</em>)", re.DOTALL)
# HTML entities (the snippet is escaped) are kept whole; other word tokens are candidates.
_TOKEN = re.compile(r"&#?\w+;|" + WORD.pattern, re.UNICODE)


def query_stems(query: str) -> frozenset[str]:
    """Stems of the words a query asks for (words after a '-' are excluded, not highlighted)."""
    wanted = re.sub(r"(^|\s)-(\"[^\"]*\"|\S+)", " ", query)
    return frozenset(stem_word(match.group(0)) for match in WORD.finditer(wanted))


def mark_stems(snippet: str, stems: frozenset[str]) -> str:
    """Wrap unmarked words of an (HTML-escaped) snippet whose stem is wanted in <em> tags."""
    if not stems:
        return snippet
    parts = _MARKED.split(snippet)
    for index, part in enumerate(parts):
        if index % 2 == 0:  # outside existing <em>…</em>
            parts[index] = _TOKEN.sub(lambda match: _mark(match.group(0), stems), part)
    return "".join(parts)


def _mark(token: str, stems: frozenset[str]) -> str:
    if token.startswith("&") or stem_word(token) not in stems:
        return token
    return f"<em>{token}</em>"
