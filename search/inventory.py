"""The search side of an inventory (hub.inventory): per kind, the records MongoDB says belong in the index,
at their versions, against the entries the index holds (for `pantau backup reconcile` and `pantau check`).
And the full rebuild a restore ends with."""

from __future__ import annotations

import hashlib
from typing import Any

from elasticsearch import AsyncElasticsearch, NotFoundError
from elasticsearch.helpers import async_scan

from hub.clients import Clients
from hub.inventory.state import IndexState
from search.indices import ensure_indices
from search.kinds import KINDS, RecordKind
from search.rebuild import rebuild

PAGE = 1000


async def _expected(kind: RecordKind) -> dict[str, int]:
    """Id → version of every live record of the kind, read in `_id` pages."""
    found: dict[str, int] = {}
    last: Any = None
    while True:
        after = {"_id": {"$gt": last}} if last is not None else {}
        parts = [part for part in (kind.rebuild_filter, after) if part]
        query = {"$and": parts} if len(parts) > 1 else (parts[0] if parts else {})
        records = await kind.model.find(query).sort("_id").limit(PAGE).to_list()
        for record in records:
            if kind.is_live(record):
                found[str(record.id)] = kind.version_of(record)
        if len(records) < PAGE:
            return found
        last = records[-1].id


async def _marked(kind: RecordKind) -> set[str]:
    """Ids of the records still marked `needs_index`, live or not (one that left the index waits for its
    deletion there): what the sweep will still bring in line."""
    collection = kind.model.get_pymongo_collection()
    return {str(found["_id"]) async for found in collection.find({"needs_index": True}, {"_id": 1})}


async def _entries(es: AsyncElasticsearch, alias: str) -> dict[str, int]:
    """Id → external version of every entry behind the alias (none when there is no index yet)."""
    query = {"query": {"match_all": {}}, "version": True, "_source": False}
    try:
        await es.indices.refresh(index=alias)
        return {
            hit["_id"]: int(hit["_version"])
            async for hit in async_scan(es, index=alias, query=query, size=PAGE)
        }
    except NotFoundError:
        return {}


def _checksum(entries: dict[str, int]) -> str:
    lines = sorted(f"{record_id} {version}" for record_id, version in entries.items())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


async def index_states(clients: Clients) -> dict[str, IndexState]:
    prefix = clients.settings.es_index_prefix
    states = {}
    for name, kind in KINDS.items():
        expected, marked = await _expected(kind), await _marked(kind)
        entries = await _entries(clients.es, kind.alias(prefix))
        both = set(expected) & set(entries)
        missing = set(expected) - set(entries)
        stale = {i for i in both if entries[i] < expected[i]}
        ahead = {i for i in both if entries[i] > expected[i]}
        extra = set(entries) - set(expected)
        states[name] = IndexState(
            expected=len(expected),
            entries=len(entries),
            sha256=_checksum(entries),
            missing=sorted(missing),
            stale=sorted(stale),
            ahead=sorted(ahead),
            extra=sorted(extra),
            marked=sorted(marked & (missing | stale | extra)),
        )
    return states


async def rebuild_all(clients: Clients) -> str:
    """Every kind rebuilt from MongoDB into a new index (see search.rebuild); a one-line summary."""
    prefix = clients.settings.es_index_prefix
    await ensure_indices(clients.es, prefix)
    done = []
    for kind in KINDS.values():
        result = await rebuild(clients.es, prefix, kind)
        failed = len(result.copied.failed) + len(result.caught_up.failed)
        done.append(f"{kind.name} {result.copied.total} indexed" + (f", {failed} failed" if failed else ""))
    return "; ".join(done)
