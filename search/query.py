"""Builds the Elasticsearch query of a user's search: safe syntax only (`simple_query_string`), never
`query_string`.

Recall comes from the stemmed fields (`memilih` finds `pemilihan`); the original-word fields add precision
(exact words rank first) and, for plain queries, typo tolerance (`pemilhan` finds `pemilihan`) through a
fuzzy match that still needs every word and every phrase. Excluded words stay excluded in every branch.
"""

from __future__ import annotations

from typing import Any

from search.analysis import stem_query
from search.highlight import query_forms
from search.syntax import ParsedQuery

FLAGS = "AND|OR|NOT|PHRASE|PRECEDENCE|WHITESPACE|ESCAPE|PREFIX|FUZZY|SLOP"
STEMMED_FIELDS = ["text_stem", "title_stem^2"]
WORD_FIELDS = ["text", "title^2"]
FRAGMENT_SIZE = 160


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


def _fuzzy(parsed: ParsedQuery, fields: list[str]) -> dict[str, Any]:
    """Every plain word, each allowed a typo or two (fuzziness AUTO), and every phrase exactly."""
    must: list[dict[str, Any]] = [
        {
            "multi_match": {
                "query": " ".join(parsed.words),
                "fields": fields,
                "fuzziness": "AUTO",
                "prefix_length": 1,
                "operator": "and",
            }
        }
    ]
    must += [
        {"multi_match": {"query": phrase, "fields": fields, "type": "phrase"}} for phrase in parsed.phrases
    ]
    return {"bool": {"must": must}}


def text_query(parsed: ParsedQuery) -> dict[str, Any]:
    """The scoring part of a search for the parsed text (match_all when there is none)."""
    if parsed.is_empty:
        return {"match_all": {}}
    stemmed = _simple(stem_query(parsed.text), STEMMED_FIELDS)
    exact = _simple(parsed.text, WORD_FIELDS, boost=2.0)
    recall: list[dict[str, Any]] = [stemmed]
    if parsed.loose:
        recall.append(_fuzzy(parsed, ["text", "title"]))
    query: dict[str, Any] = {
        "must": [{"bool": {"should": recall, "minimum_should_match": 1}}],
        "should": [exact],
    }
    if parsed.excluded:
        query["must_not"] = [_simple(stem_query(item), STEMMED_FIELDS) for item in parsed.excluded]
    return {"bool": query}


def highlight(parsed: ParsedQuery) -> dict[str, Any]:
    """Snippets from the original words: matched words in <em>, HTML-escaped. The words that share a stem
    with a query word are looked for too (pemilihan → memilih), so the fragments chosen show them;
    search.highlight marks any left in the fragments afterwards."""
    if parsed.is_empty:
        text_query_: dict[str, Any] = {"match_none": {}}
    else:
        parts = [_simple(parsed.text, ["text"], operator="or")]
        forms = query_forms(parsed.text)
        if forms:
            parts.append({"terms": {"text": forms}})
        # No fuzzy part: expanding it for every hit doubles the cost of a page; a hit found through a typo
        # gets the beginning of its text as its snippet.
        text_query_ = {"bool": {"should": parts}}
    title_query = {"bool": {"should": [_simple(parsed.text, ["title"], operator="or")]}}
    return {
        "pre_tags": ["<em>"],
        "post_tags": ["</em>"],
        "encoder": "html",
        "fields": {
            "text": {
                "fragment_size": FRAGMENT_SIZE,
                "number_of_fragments": 3,
                "no_match_size": FRAGMENT_SIZE,
                "highlight_query": text_query_,
            },
            "title": {
                "number_of_fragments": 0,
                "no_match_size": 1000,
                **({"highlight_query": title_query} if not parsed.is_empty else {}),
            },
        },
    }
