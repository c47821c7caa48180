"""Versioned index definitions behind aliases.

Each kind of record lives in its own index, reached through the alias `<prefix>-<name>`; every read and write
goes through the alias. The first index of a definition is `<alias>-v<version>`; a rebuild (`pantau reindex`)
writes a new `<alias>-v<version>-<timestamp>` and swaps the alias over. All kinds share one mapping, so one
search, its sort and its facets run over all of them at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ApiError, AsyncElasticsearch, BadRequestError, TransportError

from hub.access.visibility import SEARCH_TEXT_FIELDS, SEARCH_TITLE_FIELDS
from hub.settings import Settings

log = logging.getLogger(__name__)

ANALYSIS: dict[str, Any] = {
    "filter": {"indonesian_stop": {"type": "stop", "stopwords": "_indonesian_"}},
    "analyzer": {
        # Original words: for phrases, typo tolerance and highlighting.
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

_TEXT = {"type": "text", "analyzer": "pantau_text"}
_STEMMED = {"type": "text", "analyzer": "pantau_stemmed"}
_KEYWORD = {"type": "keyword"}
_DATE = {"type": "date"}

_TEXT_WITH_OFFSETS = {**_TEXT, "term_vector": "with_positions_offsets"}
# The combined title and text again, in one field: a typo-tolerant query builds its Levenshtein automata
# per field it reads (the costliest part of a search with plain words: two fields cost three times one).
FUZZY_FIELD = "fuzzy_text"


def _by_field(mapping: dict[str, Any]) -> dict[str, Any]:
    """One text field per record field a search may read apart (search.sources), nested by type."""
    record_fields = {name for names in SEARCH_TEXT_FIELDS.values() for name in names}
    record_fields |= set(SEARCH_TITLE_FIELDS.values())
    types: dict[str, Any] = {}
    for record_field in sorted(record_fields):
        type_name, _, name = record_field.partition(".")
        types.setdefault(type_name, {"properties": {}})["properties"][name] = mapping
    return {"properties": types}


# Bump VERSION when a change needs a rebuild (analysis, a changed field type); additive fields are put onto
# the live index by `ensure_indices`.
# 3: documents carry their record (title, number, period; `by_field.Document.extractedText` replaces
# `by_field.Document.text`): `pantau reindex --kind documents` fills them for documents indexed before.
# 4: `fuzzy_text` (title and text copied into one field for typo tolerance): records indexed before are
# found through a typo only after `pantau reindex`.
VERSION = 4
RECORD_PROPERTIES: dict[str, Any] = {
    "kind": _KEYWORD,  # report, incident, case, document
    "record_id": _KEYWORD,  # the MongoDB id again: `_id` cannot be sorted on, this can (cursor tiebreak)
    "record_version": {"type": "long"},
    "attached": {"type": "boolean"},  # a document attached to an incident (staff only)
    "title": {**_TEXT, "copy_to": FUZZY_FIELD},
    "title_stem": _STEMMED,
    "text": {**_TEXT_WITH_OFFSETS, "copy_to": FUZZY_FIELD},
    "text_stem": _STEMMED,
    FUZZY_FIELD: {**_TEXT, "index_options": "freqs"},  # matched word by word, never as a phrase
    # The same text apart per record field, for partner grants (added fields: records indexed before they
    # existed are found by partners only after `pantau reindex`).
    "by_field": _by_field(_TEXT_WITH_OFFSETS),
    "by_field_stem": _by_field(_STEMMED),
    "region_code": _KEYWORD,
    "region_path": _KEYWORD,  # the scope key
    "province": _KEYWORD,  # region_path level 1, for facets
    "report_type": _KEYWORD,  # reports only: partner grants may be limited to some report types
    "status": _KEYWORD,
    "period_key": _KEYWORD,  # `2026-Q1`: sorts as it reads, so ranges work on the keyword
    "number": _KEYWORD,  # documents: the reference number they bear, matched exactly
    "category": _KEYWORD,
    "severity": _KEYWORD,
    "stage_code": _KEYWORD,
    "content_type": _KEYWORD,
    "date": _DATE,  # the record's own date: occurrence for incidents, creation otherwise
    "created_at": _DATE,
    "updated_at": _DATE,
    "occurred_at": _DATE,
    "due_at": _DATE,
    "location": {"type": "geo_point"},
}


@dataclass(frozen=True)
class IndexLayout:
    """How each index spreads over the cluster. Replicas: a count, or a range that Elasticsearch fits to the
    nodes there are (`0-1`: none on one node, one copy on another node once there is one; the cluster stays
    green either way). Shards are fixed when an index is made: a change takes effect at the next rebuild."""

    shards: int = 1
    replicas: str = "0-1"

    @classmethod
    def of(cls, settings: Settings) -> IndexLayout:
        return cls(shards=settings.es_shards, replicas=settings.es_replicas)

    def replica_settings(self) -> dict[str, Any]:
        if self.replicas.isdigit():
            return {"number_of_replicas": int(self.replicas), "auto_expand_replicas": "false"}
        return {"auto_expand_replicas": self.replicas}


DEFAULT_LAYOUT = IndexLayout()


@dataclass(frozen=True)
class IndexDefinition:
    name: str
    version: int
    mappings: dict[str, Any]

    def alias(self, prefix: str) -> str:
        return f"{prefix}-{self.name}"

    def index(self, prefix: str) -> str:
        """The name of the first index of this version."""
        return f"{self.alias(prefix)}-v{self.version}"

    def rebuild_index(self, prefix: str, now: datetime | None = None) -> str:
        """A fresh index name for a rebuild; sorts after the earlier ones of the same version."""
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
        return f"{self.index(prefix)}-{stamp}"

    def body(self, layout: IndexLayout = DEFAULT_LAYOUT) -> dict[str, Any]:
        return {
            "settings": {
                "number_of_shards": layout.shards,
                **layout.replica_settings(),
                "analysis": ANALYSIS,
            },
            "mappings": self.mappings,
        }


def _mappings(name: str) -> dict[str, Any]:
    return {
        "dynamic": "strict",
        "_meta": {"definition": name, "version": VERSION},
        "properties": RECORD_PROPERTIES,
    }


REPORTS = IndexDefinition(name="reports", version=VERSION, mappings=_mappings("reports"))
CASES = IndexDefinition(name="cases", version=VERSION, mappings=_mappings("cases"))
DOCUMENTS = IndexDefinition(name="documents", version=VERSION, mappings=_mappings("documents"))

ALL = (REPORTS, CASES, DOCUMENTS)
BY_NAME = {definition.name: definition for definition in ALL}


def search_target(prefix: str, definitions: tuple[IndexDefinition, ...] = ALL) -> str:
    """The aliases one search reads, comma-separated."""
    return ",".join(definition.alias(prefix) for definition in definitions)


async def alias_targets(es: AsyncElasticsearch, alias: str) -> list[str]:
    """The indices an alias points at now (none when it does not exist)."""
    if not await es.indices.exists_alias(name=alias):
        return []
    found = await es.indices.get_alias(name=alias)
    return sorted(found.keys())


async def create_index(
    es: AsyncElasticsearch, definition: IndexDefinition, index: str, layout: IndexLayout = DEFAULT_LAYOUT
) -> None:
    await es.indices.create(index=index, **definition.body(layout))


async def ensure_indices(es: AsyncElasticsearch, prefix: str, layout: IndexLayout = DEFAULT_LAYOUT) -> None:
    """Create each index and its alias when missing. An existing index gets any fields added since it was
    made (additive mapping changes need no rebuild) and the layout's replicas (a dynamic setting); a change it
    cannot take asks for `pantau reindex`."""
    for definition in ALL:
        alias = definition.alias(prefix)
        targets = await alias_targets(es, alias)
        if targets:
            await _add_new_fields(es, definition, targets)
            await _apply_replicas(es, targets, layout)
            continue
        index = definition.index(prefix)
        if not await es.indices.exists(index=index):
            try:
                await create_index(es, definition, index, layout)
            except BadRequestError as error:  # another process created it a moment ago
                if error.error != "resource_already_exists_exception":
                    raise
        await es.indices.put_alias(index=index, name=alias)


async def ensure_indices_if_reachable(
    es: AsyncElasticsearch, prefix: str, layout: IndexLayout = DEFAULT_LAYOUT
) -> bool:
    """`ensure_indices`, or False when Elasticsearch cannot be reached or answers that it is unavailable
    (5xx). A process that writes to MongoDB starts during a search outage all the same: its changes keep their
    `needs_index` marker, and the worker ensures the indices before it indexes. A refusal (bad credentials, a
    bad mapping) still raises."""
    try:
        await ensure_indices(es, prefix, layout)
    except (TransportError, ApiError) as error:
        if isinstance(error, ApiError) and error.meta.status < 500:
            raise
        log.warning("Elasticsearch is unavailable (%s); the search indices are checked again later", error)
        return False
    return True


async def live_versions(es: AsyncElasticsearch, targets: list[str]) -> dict[str, int]:
    """The definition version each live index was made with (its mapping's `_meta`; 0 when unknown)."""
    found = await es.indices.get_mapping(index=",".join(targets))
    return {
        index: int((body.get("mappings", {}).get("_meta") or {}).get("version", 0))
        for index, body in found.items()
    }


async def _add_new_fields(es: AsyncElasticsearch, definition: IndexDefinition, targets: list[str]) -> None:
    older = [index for index, version in (await live_versions(es, targets)).items() if version < VERSION]
    if older:
        # The new fields are added, but records indexed before lack them until a rebuild; the `_meta`
        # version stays the old one, so this is said again until the rebuild has run.
        log.warning(
            "index %s was made by a definition older than version %d; run `pantau reindex --kind %s`",
            ",".join(older),
            VERSION,
            definition.name,
        )
    try:
        await es.indices.put_mapping(
            index=",".join(targets),
            properties=definition.mappings["properties"],
            **({} if older else {"meta": definition.mappings["_meta"]}),
        )
    except BadRequestError as error:
        log.warning(
            "index %s cannot take the current %s mapping (%s); run `pantau reindex --kind %s`",
            ",".join(targets),
            definition.name,
            error.message,
            definition.name,
        )


async def _apply_replicas(es: AsyncElasticsearch, targets: list[str], layout: IndexLayout) -> None:
    wanted = layout.replica_settings()
    found = await es.indices.get_settings(
        index=",".join(targets), name="index.*_replicas", flat_settings=True
    )
    for index, current in found.items():
        have = current.get("settings", {})
        if any(str(have.get(f"index.{key}", "false")) != str(value).lower() for key, value in wanted.items()):
            await es.indices.put_settings(index=index, settings={"index": wanted})
            log.info("index %s: replicas set to %s", index, layout.replicas)


async def drop_indices(es: AsyncElasticsearch, prefix: str) -> None:
    """Remove every index of this prefix (tests clean up with it)."""
    found = await es.indices.get(index=f"{prefix}-*", allow_no_indices=True, expand_wildcards="all")
    for index in found:
        await es.indices.delete(index=index)
