"""Results worked out from an operation's text alone, kept for the next request with the same text: its
validation (against this schema) and its cost (with the same variables), and its parsed document.

Only what depends on the document and the schema is kept: who asks is checked again on every request (the
partner field guard, the cost charged to the caller's budget, the per-request cost limit). Each cache is an
LRU of bounded size, so that a client sending ever new documents costs the server no more memory than that.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from graphql import DocumentNode, GraphQLError, parse
from strawberry.extensions import SchemaExtension

K = TypeVar("K")
V = TypeVar("V")

# Distinct operations kept: a frontend sends a few hundred at most.
MAX_CACHED_OPERATIONS = 1000


class Lru(Generic[K, V]):
    """A dict of at most `maxsize` entries that forgets the least recently used one first."""

    def __init__(self, maxsize: int = MAX_CACHED_OPERATIONS) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class CachedParsing(SchemaExtension):
    """Parsing, kept per operation text and parse options (the token limit) in `cache`. A text that does not
    parse is left to Strawberry, which parses it again and answers the error as it always does (and the
    extensions after the failed parse, such as the budget's charge, still run)."""

    def __init__(self, cache: Lru[tuple[str, tuple[tuple[str, Any], ...]], DocumentNode]) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        text = execution.query
        if text is not None and execution.graphql_document is None:
            key = (text, tuple(sorted(execution.parse_options.items())))
            document = self.cache.get(key)
            if document is None:
                try:
                    document = parse(text, **execution.parse_options)
                except GraphQLError:
                    document = None
                else:
                    self.cache.put(key, document)
            execution.graphql_document = document
        yield
