"""`pantau reindex`: a rebuild into a new index and an atomic alias swap, with searches answering throughout
and no update lost when a record changes while the rebuild runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hub.access.scope import Scope
from hub.cases.models import Case
from hub.clients import Clients
from hub.searches.filters import SearchFilters
from hub.settings import Settings
from search.indexer import bulk_index, index_record
from search.indices import VERSION, alias_targets, ensure_indices, live_versions
from search.kinds import CASE_KIND, DOCUMENT_KIND
from search.rebuild import count_records, rebuild
from search.service import SearchRequest, search
from tests.case_factories import edit_case
from tests.processes import ROOT, settings_env
from tests.search_corpus import case, new_marker


@pytest.fixture
async def prefix(seeded: Clients) -> str:
    """Indices of their own (the records are the session's): a rebuild here leaves other tests alone."""
    own = f"{seeded.settings.es_index_prefix}-rb{new_marker()[-4:]}"
    await ensure_indices(seeded.es, own)
    return own


async def _find(clients: Clients, prefix: str, marker: str) -> int:
    request = SearchRequest(text=marker, filters=SearchFilters(kinds=("case",)))
    return (await search(clients.es, prefix, request, scope=Scope.everything())).total_count


async def test_a_change_during_the_rebuild_is_not_lost(seeded: Clients, prefix: str) -> None:
    es, alias = seeded.es, CASE_KIND.alias(prefix)
    marker = new_marker()
    made = await case("31.74", f"Kendala gudang {marker}", f"Uraian awal {marker}", "Dicek.")
    await bulk_index(es, CASE_KIND, [made], target=alias, refresh=True)
    before = await alias_targets(es, alias)
    total = await count_records(CASE_KIND)
    copied = 0
    answers: list[int] = []
    changed: list[Case] = []

    async def meanwhile(done: int) -> None:
        nonlocal copied
        copied += done
        answers.append(await _find(seeded, prefix, marker))  # searches keep answering from the old index
        if copied >= total and not changed:
            # Every case is copied, this one at version 1; now a user changes it and the live indexer
            # writes the change through the alias, which still points at the old index.
            changed.append(await edit_case(made, {"description": f"Uraian terbaru {marker}"}))
            await index_record(es, prefix, CASE_KIND, changed[0])

    result = await rebuild(es, prefix, CASE_KIND, batch=max(total // 4, 1), progress=meanwhile)

    assert answers and all(count == 1 for count in answers)
    assert await alias_targets(es, alias) == [result.index]
    assert result.previous == before and result.dropped == before
    for old in before:
        assert not await es.indices.exists(index=old)
    held = await es.get(index=alias, id=str(made.id))
    assert held["_version"] == changed[0].version == made.version + 1
    assert held["_source"]["text"].startswith(f"Uraian terbaru {marker}")
    assert result.caught_up.total >= 1
    assert result.copied.total == total
    await es.indices.refresh(index=alias)
    assert await _find(seeded, prefix, marker) == 1


async def test_keep_old_and_a_failed_rebuild_leaves_the_alias_alone(seeded: Clients, prefix: str) -> None:
    es, alias = seeded.es, CASE_KIND.alias(prefix)
    first = await rebuild(es, prefix, CASE_KIND, keep_old=True)
    assert first.dropped == [] and await es.indices.exists(index=first.previous[0])
    assert await alias_targets(es, alias) == [first.index]

    async def broken(done: int) -> None:
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        await rebuild(es, prefix, CASE_KIND, progress=broken)
    assert await alias_targets(es, alias) == [first.index]
    remaining = await es.indices.get(index=f"{alias}-*")
    assert sorted(remaining) == sorted([first.index, first.previous[0]])


def test_the_command_rebuilds_with_a_progress_bar(settings: Settings, seeded: Clients) -> None:
    env = settings_env(settings.model_copy(update={"es_index_prefix": f"{settings.es_index_prefix}-cli"}))
    done = subprocess.run(
        [sys.executable, "-m", "hub.cli", "reindex", "--kind", "cases", "--kind", "reports"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "reindexing cases" in done.stderr and "copied into" in done.stderr
    assert f"{settings.es_index_prefix}-cli-reports-v" in done.stderr


async def test_an_index_of_an_older_version_keeps_saying_so_until_it_is_rebuilt(
    seeded: Clients, prefix: str
) -> None:
    """Search index version 3 (documents carry their record): an index made by version 2 gets the new fields
    but keeps its version, so start-up keeps asking for `pantau reindex`, until the rebuild writes one of
    the current version."""
    es, alias = seeded.es, DOCUMENT_KIND.alias(prefix)
    (old,) = await alias_targets(es, alias)
    await es.indices.put_mapping(index=old, meta={"definition": "documents", "version": VERSION - 1})
    await ensure_indices(es, prefix)
    assert await live_versions(es, [old]) == {old: VERSION - 1}
    mapping = (await es.indices.get_mapping(index=old))[old]["mappings"]["properties"]
    assert "extractedText" in mapping["by_field"]["properties"]["Document"]["properties"]
    await rebuild(es, prefix, DOCUMENT_KIND)
    (new,) = await alias_targets(es, alias)
    assert await live_versions(es, [new]) == {new: VERSION}
