"""Versioned index definitions behind aliases: `<prefix>-<name>` points at `<prefix>-<name>-v<version>`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import AsyncElasticsearch

ANALYSIS: dict[str, Any] = {
    "filter": {"indonesian_stop": {"type": "stop", "stopwords": "_indonesian_"}},
    "analyzer": {
        # Original words: for phrases and highlighting.
        "pantau_text": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "indonesian_stop"],
        },
        # Already stemmed by search.analysis; only split, lowercase and drop stop words here.
        "pantau_stemmed": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "indonesian_stop"],
        },
    },
}


@dataclass(frozen=True)
class IndexDefinition:
    name: str
    version: int
    mappings: dict[str, Any]

    def alias(self, prefix: str) -> str:
        return f"{prefix}-{self.name}"

    def index(self, prefix: str) -> str:
        return f"{self.alias(prefix)}-v{self.version}"

    def body(self) -> dict[str, Any]:
        return {
            "settings": {"number_of_shards": 1, "number_of_replicas": 0, "analysis": ANALYSIS},
            "mappings": self.mappings,
        }


DOCUMENTS = IndexDefinition(
    name="documents",
    version=1,
    mappings={
        "dynamic": "strict",
        "properties": {
            "kind": {"type": "keyword"},
            "title": {"type": "text", "analyzer": "pantau_text"},
            "title_stem": {"type": "text", "analyzer": "pantau_stemmed"},
            "text": {"type": "text", "analyzer": "pantau_text", "term_vector": "with_positions_offsets"},
            "text_stem": {"type": "text", "analyzer": "pantau_stemmed"},
            "region_code": {"type": "keyword"},
            "region_path": {"type": "keyword"},
            "category": {"type": "keyword"},
            "content_type": {"type": "keyword"},
            "created_at": {"type": "date"},
        },
    },
)

ALL = (DOCUMENTS,)


async def ensure_indices(es: AsyncElasticsearch, prefix: str) -> None:
    """Create each current index version and its alias when missing; leaves existing ones alone."""
    for definition in ALL:
        alias = definition.alias(prefix)
        if await es.indices.exists_alias(name=alias):
            continue
        index = definition.index(prefix)
        if not await es.indices.exists(index=index):
            await es.indices.create(index=index, **definition.body())
        await es.indices.put_alias(index=index, name=alias)


async def drop_indices(es: AsyncElasticsearch, prefix: str) -> None:
    """Remove every index of this prefix (tests clean up with it)."""
    found = await es.indices.get(index=f"{prefix}-*", allow_no_indices=True, expand_wildcards="all")
    for index in found:
        await es.indices.delete(index=index)
