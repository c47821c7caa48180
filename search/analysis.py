"""Indonesian analysis done in the app, identically for indexing and querying (the development
Elasticsearch has no language analyzers): lowercase word tokens reduced by the Snowball Indonesian stemmer."""

from __future__ import annotations

import re
import threading

import Stemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
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
    """The stemmed form of a text: its word tokens, lowercased and stemmed, joined by spaces."""
    if text.isascii():
        # The same words, found at C speed: lowercasing ASCII maps letters to letters, one for one. Not
        # for other text: lowercasing a whole text can move word boundaries (`İ` becomes `i` and a
        # combining dot, a final `Σ` depends on what follows it), so there each word is lowercased alone.
        words = WORD.findall(text.lower())
    else:
        words = [match.group(0).lower() for match in WORD.finditer(text)]
    return " ".join(_stemmer().stemWords(words))


def stem_query(query: str) -> str:
    """A simple_query_string query with each word stemmed in place, so every operator (quotes, |, -, +,
    parentheses, ~N, *) stays where the user put it."""
    return WORD.sub(lambda match: stem_word(match.group(0)), query)
