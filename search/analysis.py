"""Indonesian analysis done in the app, identically for indexing and querying (the development
Elasticsearch has no language analyzers): lowercase word tokens reduced by the Snowball Indonesian stemmer."""

from __future__ import annotations

import re
import threading
from itertools import islice

import Stemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words stemmed at once by stem_text (see there why not all of a text's).
STEM_BATCH_WORDS = 4096
_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    # PyStemmer objects are not thread-safe: one per thread.
    stemmer: Stemmer.Stemmer | None = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = Stemmer.Stemmer("indonesian")
        stemmer.maxCacheSize = 50_000
        _local.stemmer = stemmer
    return stemmer


def stem_word(word: str) -> str:
    return str(_stemmer().stemWord(word.lower()))


def stem_text(text: str) -> str:
    """The stemmed form of a text: its word tokens, lowercased and stemmed, joined by spaces.

    STEM_BATCH_WORDS words at a time: a document's extracted text has up to millions of words, and a list of
    all of them (and of their stems) made as many small strings at once, tens of MB for a 5 MB text. Python's
    allocator returns its 1 MiB arenas only once wholly empty, so a worker kept that peak resident, pinned by
    the odd longer-lived object, and grew towards the largest text's peak as documents came in."""
    stemmer = _stemmer()
    words = (match.group(0).lower() for match in WORD.finditer(text))
    parts: list[str] = []
    while batch := list(islice(words, STEM_BATCH_WORDS)):
        parts.append(" ".join(stemmer.stemWords(batch)))
    return " ".join(parts)


def stem_query(query: str) -> str:
    """A simple_query_string query with each word stemmed in place, so every operator (quotes, |, -, +,
    parentheses, ~N, *) stays where the user put it."""
    return WORD.sub(lambda match: stem_word(match.group(0)), query)
