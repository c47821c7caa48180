"""`pantau check` (hub.inventory.check): a stack of its own with sample data is consistent; then each kind of
damage (an object lost, an object rewritten, a stray object, an index entry lost, behind, ahead or without a
record) is reported by kind and subject, through the domain and through the command line. And the purge
removes an object no record names once past the grace, and keeps one a second document still names."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from bson import ObjectId

from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import StoredDocument
from hub.documents.purge import SweepMarker, purge_orphan_objects, purge_trash
from hub.inventory.check import CheckPolicy, CheckReport, MismatchKind, check_stack
from hub.regions.seed import seed_regions
from hub.reports.models import Report
from hub.reports.templates import seed_templates
from hub.sample.seed import seed_sample
from hub.settings import Settings
from search.inventory import index_states, rebuild_all
from search.kinds import KINDS
from tests.processes import ROOT, settings_env
from tests.stacks import bound, own_stack


@dataclass
class Stack:
    clients: Clients
    home: Clients


async def check(stack: Clients, *, grace_seconds: float = 0) -> CheckReport:
    policy = CheckPolicy.of(stack.settings, grace_seconds=grace_seconds, deep=True)
    database = stack.mongo[stack.settings.mongo_database]
    index = await index_states(stack)
    return await check_stack(database, stack.store, stack.settings, index, policy=policy, now=utcnow())


@pytest.fixture
async def stack(settings: Settings, clients: Clients) -> AsyncIterator[Stack]:
    """Sample data in three regions, indexed: consistent to begin with. Each test damages its own."""
    async with own_stack(settings, "chk") as opened, bound(opened, clients):
        await seed_regions()
        await seed_templates()
        await seed_sample(opened.settings, opened.store, round_number=1, regions=3)
        await rebuild_all(opened)
        yield Stack(opened, clients)


async def test_a_consistent_stack_passes(stack: Stack) -> None:
    report = await check(stack.clients)
    assert report.mismatches == []
    assert set(report.counts().values()) == {0}
    assert report.objects_referenced > 0
    assert report.index_entries["reports"] == await Report.find_all().count()


async def test_each_kind_of_damage_is_named(stack: Stack) -> None:
    clients, store = stack.clients, stack.clients.store
    reports_alias = KINDS["reports"].alias(clients.settings.es_index_prefix)
    documents = await StoredDocument.find_all().sort("_id").to_list()
    lost, rewritten = documents[0].object_key, documents[1].object_key
    await store.remove(lost)
    await store.put(rewritten, io.BytesIO(b"other bytes"), 11, "text/plain")
    stray = "documents/stray/2026/01/nobody-names-this"
    await store.put(stray, io.BytesIO(b"stray"), 5, "text/plain")

    reports = await Report.find_all().sort("_id").to_list()
    unindexed, behind, ahead = (str(report.id) for report in reports[:3])
    await clients.es.delete(index=reports_alias, id=unindexed, refresh=True)
    await Report.get_pymongo_collection().update_one({"_id": reports[1].id}, {"$inc": {"version": 1}})
    entry = {"index": reports_alias, "id": ahead, "document": {}, "version_type": "external"}
    await clients.es.index(**entry, version=reports[2].version + 5, refresh=True)
    orphan_entry = str(ObjectId())
    await clients.es.index(**{**entry, "id": orphan_entry}, version=1, refresh=True)

    report = await check(clients)
    assert sorted((m.kind, m.subject) for m in report.mismatches) == sorted(
        [
            (MismatchKind.MISSING_OBJECT, lost),
            (MismatchKind.CHANGED_OBJECT, rewritten),
            (MismatchKind.ORPHAN_OBJECT, stray),
            (MismatchKind.MISSING_INDEX_ENTRY, f"reports/{unindexed}"),
            (MismatchKind.STALE_INDEX_ENTRY, f"reports/{behind}"),
            (MismatchKind.INDEX_ENTRY_AHEAD, f"reports/{ahead}"),
            (MismatchKind.ORPHAN_INDEX_ENTRY, f"reports/{orphan_entry}"),
        ]
    )
    # Within the grace, an unnamed object may be an upload about to be recorded: not reported yet.
    young = await check(clients, grace_seconds=3600)
    assert MismatchKind.ORPHAN_OBJECT not in {m.kind for m in young.mismatches}
    assert len(young.mismatches) == len(report.mismatches) - 1

    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "hub.cli", "check", "--json", "--deep", "--grace-seconds", "0"],
        cwd=ROOT,
        env=settings_env(clients.settings),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    printed = json.loads(done.stdout)
    assert printed["ok"] is False
    assert printed["counts"] == report.counts()
    assert {m["subject"] for m in printed["mismatches"]} == {m.subject for m in report.mismatches}


async def test_the_purge_removes_unnamed_objects_and_keeps_shared_ones(stack: Stack) -> None:
    store = stack.clients.store
    stray = "documents/stray/2026/01/left-by-a-killed-upload"
    await store.put(stray, io.BytesIO(b"stray"), 5, "text/plain")
    now = utcnow() + timedelta(seconds=2)  # the object's modification time has a second's resolution
    assert await purge_orphan_objects(store, now=now, grace=timedelta(hours=1)) == 0
    assert await store.exists(stray)
    assert await purge_orphan_objects(store, now=now, grace=timedelta(0)) == 1
    assert not await store.exists(stray)
    assert (await check(stack.clients)).mismatches == []

    # Two documents naming one object (as the national demo's files are): purging one keeps the bytes.
    collection = StoredDocument.get_pymongo_collection()
    original = await collection.find_one({}, sort=[("_id", 1)])
    assert original is not None
    twin = await collection.find_one({"_id": {"$ne": original["_id"]}, "previous_versions": []})
    assert twin is not None
    await collection.update_one({"_id": twin["_id"]}, {"$set": {"object_key": original["object_key"]}})
    long_ago = utcnow() - timedelta(days=stack.clients.settings.trash_retention_days + 1)
    retention = timedelta(days=stack.clients.settings.trash_retention_days)
    await collection.update_one({"_id": twin["_id"]}, {"$set": {"deleted_at": long_ago}})
    assert await purge_trash(store, retention=retention, now=utcnow()) == 1
    assert await store.exists(original["object_key"])
    await collection.update_one({"_id": original["_id"]}, {"$set": {"deleted_at": long_ago}})
    assert await purge_trash(store, retention=retention, now=utcnow()) == 1
    assert not await store.exists(original["object_key"])


async def test_the_orphan_sweep_lists_a_bounded_page_per_run_and_goes_round(stack: Stack) -> None:
    """With a marker, each run lists at most `limit` objects after the last run's; the run that reaches the
    end starts the next sweep over. Every stray is found within one round, and no named object goes."""
    store, redis = stack.clients.store, stack.clients.redis
    strays = [f"documents/stray/2026/02/sweep-{number}" for number in range(5)]
    for key in strays:
        await store.put(key, io.BytesIO(b"stray"), 5, "text/plain")
    named = [
        item.key
        for item in await asyncio.to_thread(store.objects_sync, "documents/")
        if item.key not in strays
    ]
    total = len(named) + len(strays)
    marker = SweepMarker(redis, f"test:sweep:{ObjectId()}")
    now = utcnow() + timedelta(seconds=2)

    removed, runs = [], 0
    while True:
        removed.append(await purge_orphan_objects(store, now=now, grace=timedelta(0), marker=marker, limit=2))
        runs += 1
        if await marker.get() is None:
            break
        assert runs < total  # it moves on: a run never lists the same page again
    assert runs == total // 2 + 1  # pages of two, the last one short (or empty)
    assert max(removed) <= 2 and sum(removed) == len(strays)
    assert not any([await store.exists(key) for key in strays])
    assert all([await store.exists(key) for key in named])
    await redis.delete(marker.key)
