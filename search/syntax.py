"""The user's query text, read once: `simple_query_string` syntax, plus the words OR, AND and NOT.

Users type `pemilihan OR pilkada`; the safe syntax spells that `pemilihan | pilkada`. The words are
translated outside quotes only. The parse also finds what typo tolerance may loosen: the plain words and
phrases of a query without OR groups or parentheses, and its excluded words, which must stay excluded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_LENGTH = 500
# A phrase (quotes closed or not), a parenthesis, a bar, whitespace, or a run of anything else.
_TOKEN = re.compile(r'[-+]?"[^"]*"?(?:~\d+)?|[()|]|\s+|[^\s()|"]+"?')
_OPERATOR_WORDS = {"OR": "|", "AND": "+"}
_GROUPING = frozenset("()|")
_PLAIN_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the query in simple_query_string syntax
    words: tuple[str, ...]  # plain positive words, when typo tolerance applies (else empty)
    phrases: tuple[str, ...]  # positive phrases (without quotes) that must still match exactly
    excluded: tuple[str, ...]  # excluded words and quoted phrases, as written (without the `-`)
    loose: bool  # True when typo tolerance may add hits: no OR groups, parentheses, prefixes or slops

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


def _translate(parts: list[str]) -> list[str]:
    """OR → `|`, AND → `+` (between words), NOT x → `-x`."""
    out: list[str] = []
    negate_next = False
    for part in parts:
        if part.isspace():
            if not negate_next:  # `NOT x` becomes `-x`, without the space between
                out.append(part)
            continue
        if part == "NOT":
            negate_next = True
            continue
        if part in _OPERATOR_WORDS:
            out.append(_OPERATOR_WORDS[part])
            continue
        if negate_next and part not in _GROUPING:
            part = "-" + part.lstrip("+-")
        negate_next = False
        out.append(part)
    return out


def parse_query(raw: str) -> ParsedQuery:
    parts = _translate(_TOKEN.findall(raw.strip()[:MAX_QUERY_LENGTH]))
    text = "".join(parts).strip()
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    loose = True
    for part in parts:
        if part.isspace() or part == "+":
            continue
        if part in _GROUPING:
            loose = False
            continue
        negative = part.startswith("-")
        body = part.lstrip("+-")
        if not body:
            continue
        if negative:
            excluded.append(body)
        elif body.startswith('"'):
            if re.search(r"~\d+$", body):
                loose = False
            phrases.append(body.strip('"'))
        elif body.endswith("*") or "~" in body:
            loose = False
        else:
            words.extend(_PLAIN_WORD.findall(body))
    if not words:
        loose = False
    return ParsedQuery(
        text=text,
        words=tuple(words) if loose else (),
        phrases=tuple(phrases),
        excluded=tuple(excluded),
        loose=loose,
    )
