"""Marks words in a snippet whose stem matches the query's, so 'memilih' highlights 'pemilihan' too.

Elasticsearch highlights the original-words field, which only knows exact words; the stems are ours.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
        # Outside existing <em>…</em>. Most parts hold no wanted word: seen from their distinct words (a
        # superset of the tokens below: it also splits entities), they are left as they are at C speed.
        if index % 2 == 0 and not stems.isdisjoint(map(_stem_of, set(WORD.findall(part)))):
            parts[index] = _TOKEN.sub(lambda match: _mark(match.group(0), stems), part)
    return "".join(parts)


def _mark(token: str, stems: frozenset[str]) -> str:
    if token.startswith("&") or _stem_of(token) not in stems:
        return token
    return f"<em>{token}</em>"


@lru_cache(maxsize=100_000)
def _stem_of(token: str) -> str:
    """A snippet word's stem, kept: the snippets of a page, and of the next searches, repeat their words."""
    return stem_word(token)


_PLAIN_PREFIXES = ("", "di", "ter", "ber", "ke", "se", "per", "diper", "memper", "mempe")
_SUFFIXES = ("", "an", "kan", "i", "nya", "lah", "annya", "kah", "pun")
MAX_FORMS_WORDS = 10


def _nasal(prefix: str, stem: str) -> list[str]:
    """`me-` and `pe-` before a stem, with the nasal the first sound takes (memilih, penulis, menyewa)."""
    first, rest = stem[0], stem[1:]
    if first in "aiueogh":
        return [f"{prefix}ng{stem}"]
    if first == "k":
        return [f"{prefix}ng{rest}", f"{prefix}ng{stem}"]
    if first in "bfv":
        return [f"{prefix}m{stem}"]
    if first == "p":
        return [f"{prefix}m{rest}", f"{prefix}m{stem}"]
    if first in "cdjz":
        return [f"{prefix}n{stem}"]
    if first == "t":
        return [f"{prefix}n{rest}", f"{prefix}n{stem}"]
    if first == "s":
        return [f"{prefix}ny{rest}", f"{prefix}n{stem}"]
    return [f"{prefix}{stem}"]


def surface_forms(stem: str) -> frozenset[str]:
    """Words the stemmer reduces to `stem`, built from Indonesian affixes (pilih → memilih, pemilihan,
    terpilih…): the highlighter can then mark them in the original text, in the fragments it chooses."""
    if len(stem) < 3 or not stem.isalpha():
        return frozenset({stem})
    bases = [prefix + stem for prefix in _PLAIN_PREFIXES] + _nasal("me", stem) + _nasal("pe", stem)
    candidates = {base + suffix for base in bases for suffix in _SUFFIXES}
    return frozenset(word for word in candidates if stem_word(word) == stem) | {stem}


def query_forms(query: str) -> list[str]:
    """The surface forms of every wanted query word, for a highlight query on the original-words field."""
    stems = sorted(query_stems(query))[:MAX_FORMS_WORDS]
    return sorted({form for stem in stems for form in surface_forms(stem)})
