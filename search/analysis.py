"""Indonesian analysis done in the app, identically for indexing and querying (the development
Elasticsearch has no language analyzers): lowercase word tokens reduced by the Snowball Indonesian stemmer."""

from __future__ import annotations

import re
import threading

import Stemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
SPACE = re.compile(r"\s")
# Characters of a text stemmed at once by stem_text (see there why not all of a text at once): ~4,000 words.
STEM_BATCH_CHARS = 32 * 1024
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

    A slice of about STEM_BATCH_CHARS at a time, cut at a space (never inside a word): a document's
    extracted text has up to millions of words, and a list of all of them (and of their stems) made as many
    small strings at once, tens of MB for a 5 MB text. Python's allocator returns its 1 MiB arenas only once
    wholly empty, so a worker kept that peak resident, pinned by the odd longer-lived object, and grew
    towards the largest text's peak as documents came in."""
    stemmer = _stemmer()
    parts: list[str] = []
    start = 0
    while start < len(text):
        space = SPACE.search(text, start + STEM_BATCH_CHARS)
        end = space.end() if space is not None else len(text)
        piece = text[start:end]
        if piece.isascii():
            # The same words, found at C speed: lowercasing ASCII maps letters to letters, one for one. Not
            # for other text: lowercasing a whole text can move word boundaries (`İ` becomes `i` and a
            # combining dot, a final `Σ` depends on what follows it), so there each word is lowercased alone.
            words = WORD.findall(piece.lower())
        else:
            words = [match.group(0).lower() for match in WORD.finditer(piece)]
        if words:
            parts.append(" ".join(stemmer.stemWords(words)))
        start = end
    return " ".join(parts)


def stem_query(query: str) -> str:
    """A simple_query_string query with each word stemmed in place, so every operator (quotes, |, -, +,
    parentheses, ~N, *) stays where the user put it."""
    return WORD.sub(lambda match: stem_word(match.group(0)), query)
