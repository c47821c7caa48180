"""Builds Elasticsearch queries from a user's search: safe syntax only (`simple_query_string`)."""

from __future__ import annotations

from typing import Any

from search.analysis import stem_query

MAX_QUERY_LENGTH = 500


def documents_search_body(
    query: str, *, size: int, offset: int = 0, filters: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Stemmed fields carry recall (memilih finds pemilihan); original-word fields add precision and
    give the highlighted snippets."""
    text = query.strip()[:MAX_QUERY_LENGTH]
    stemmed = stem_query(text)
    return {
        "size": size,
        "from": offset,
        "track_total_hits": True,
        "_source": False,
        "query": {
            "bool": {
                "must": [
                    {
                        "simple_query_string": {
                            "query": stemmed,
                            "fields": ["text_stem", "title_stem^2"],
                            "default_operator": "and",
                            "flags": "AND|OR|NOT|PHRASE|PRECEDENCE|WHITESPACE|ESCAPE|PREFIX|FUZZY|SLOP",
                        }
                    }
                ],
                "filter": list(filters or []),
                "should": [
                    {
                        "simple_query_string": {
                            "query": text,
                            "fields": ["text", "title^2"],
                            "default_operator": "and",
                        }
                    }
                ],
            }
        },
        "highlight": {
            "pre_tags": ["<em>"],
            "post_tags": ["</em>"],
            "encoder": "html",
            "fields": {
                "text": {
                    "fragment_size": 160,
                    "number_of_fragments": 3,
                    "no_match_size": 160,
                    "highlight_query": {
                        "simple_query_string": {"query": text, "fields": ["text"], "default_operator": "or"}
                    },
                },
                "title": {"number_of_fragments": 0},
            },
        },
    }
