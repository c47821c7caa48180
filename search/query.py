"""Builds the Elasticsearch query of a user's search: safe syntax only (`simple_query_string`), never
`query_string`.

Recall comes from the stemmed fields (`memilih` finds `pemilihan`); the original-word fields add precision
(exact words rank first) and, for plain queries, typo tolerance (`pemilhan` finds `pemilihan`) through a
fuzzy match that still needs every word and every phrase. Excluded words stay excluded in every branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from search.analysis import stem_query
from search.highlight import query_forms
from search.indices import FUZZY_FIELD
from search.syntax import ParsedQuery

FLAGS = "AND|OR|NOT|PHRASE|PRECEDENCE|WHITESPACE|ESCAPE|PREFIX|FUZZY|SLOP"
FRAGMENT_SIZE = 160
MAX_FRAGMENTS = 3


@dataclass(frozen=True)
class Pair:
    """A text in the index: its original-words field and its stemmed twin."""

    words: str
    stems: str


@dataclass(frozen=True)
class TextFields:
    """The fields a search reads: for staff the combined text and title, which may fall back to the start of
    the text as a snippet; for a partner grant only the fields it reads, without that fallback."""

    texts: tuple[Pair, ...]
    titles: tuple[Pair, ...]
    text_fallback: bool = False
    fuzzy: str | None = None  # one field holding the original words of all of them, for typo tolerance

    @property
    def fuzzy_fields(self) -> list[str]:
        """Where a typo-tolerant query looks: the one combined field when there is one, else each field."""
        if self.fuzzy is not None:
            return [self.fuzzy]
        return [pair.words for pair in (*self.texts, *self.titles)]

    @property
    def stemmed(self) -> list[str]:
        return [pair.stems for pair in self.texts] + [f"{pair.stems}^2" for pair in self.titles]

    @property
    def words(self) -> list[str]:
        return [pair.words for pair in self.texts] + [f"{pair.words}^2" for pair in self.titles]

    @property
    def is_empty(self) -> bool:
        return not self.texts and not self.titles


COMBINED = TextFields(
    texts=(Pair("text", "text_stem"),),
    titles=(Pair("title", "title_stem"),),
    text_fallback=True,
    fuzzy=FUZZY_FIELD,
)


def _simple(query: str, fields: list[str], operator: str = "and", **extra: Any) -> dict[str, Any]:
    return {
        "simple_query_string": {
            "query": query,
            "fields": fields,
            "default_operator": operator,
            "flags": FLAGS,
            **extra,
        }
    }


def _fuzzy(parsed: ParsedQuery, fields: TextFields) -> dict[str, Any]:
    """Every plain word, each allowed a typo or two (fuzziness AUTO), and every phrase exactly. For staff
    the words may be anywhere in the title and text, as in the stemmed query."""
    phrase_fields = [pair.words for pair in (*fields.texts, *fields.titles)]
    must: list[dict[str, Any]] = [
        {
            "multi_match": {
                "query": " ".join(parsed.words),
                "fields": fields.fuzzy_fields,
                "fuzziness": "AUTO",
                "prefix_length": 1,
                "operator": "and",
            }
        }
    ]
    must += [
        {"multi_match": {"query": phrase, "fields": phrase_fields, "type": "phrase"}}
        for phrase in parsed.phrases
    ]
    return {"bool": {"must": must}}


def text_query(parsed: ParsedQuery, fields: TextFields = COMBINED) -> dict[str, Any]:
    """The scoring part of a search for the parsed text (match_all when there is none; match_none when the
    viewer may read no text at all)."""
    if parsed.is_empty:
        return {"match_all": {}}
    if fields.is_empty:
        return {"match_none": {}}
    stemmed = _simple(stem_query(parsed.text), fields.stemmed)
    exact = _simple(parsed.text, fields.words, boost=2.0)
    recall: list[dict[str, Any]] = [stemmed]
    if parsed.loose:
        recall.append(_fuzzy(parsed, fields))
    query: dict[str, Any] = {
        "must": [{"bool": {"should": recall, "minimum_should_match": 1}}],
        "should": [exact],
    }
    if parsed.excluded:
        query["must_not"] = [_simple(stem_query(item), fields.stemmed) for item in parsed.excluded]
    return {"bool": query}


def _text_highlight(parsed: ParsedQuery, field: str, fallback: bool) -> dict[str, Any]:
    if parsed.is_empty:
        query: dict[str, Any] = {"match_none": {}}
    else:
        parts = [_simple(parsed.text, [field], operator="or")]
        forms = query_forms(parsed.text)
        if forms:
            parts.append({"terms": {field: forms}})
        # No fuzzy part: expanding it for every hit doubles the cost of a page; a hit found through a typo
        # gets the beginning of its text as its snippet (staff) or none.
        query = {"bool": {"should": parts}}
    return {
        "fragment_size": FRAGMENT_SIZE,
        "number_of_fragments": MAX_FRAGMENTS,
        **({"no_match_size": FRAGMENT_SIZE} if fallback else {}),
        "highlight_query": query,
    }


def _title_highlight(parsed: ParsedQuery, field: str) -> dict[str, Any]:
    title: dict[str, Any] = {"number_of_fragments": 0, "no_match_size": 1000}
    if not parsed.is_empty:
        title["highlight_query"] = {"bool": {"should": [_simple(parsed.text, [field], operator="or")]}}
    return title


def highlight(parsed: ParsedQuery, fields: TextFields = COMBINED) -> dict[str, Any]:
    """Snippets from the original words of the fields read: matched words in <em>, HTML-escaped. The words
    that share a stem with a query word are looked for too (pemilihan → memilih), so the fragments chosen
    show them; search.highlight marks any left in the fragments afterwards. Only the combined text falls
    back to its beginning when nothing in it matched: apart, a field's beginning is no snippet of the hit."""
    return {
        "pre_tags": ["<em>"],
        "post_tags": ["</em>"],
        "encoder": "html",
        "fields": {
            **{
                pair.words: _text_highlight(parsed, pair.words, fields.text_fallback) for pair in fields.texts
            },
            **{pair.words: _title_highlight(parsed, pair.words) for pair in fields.titles},
        },
    }
