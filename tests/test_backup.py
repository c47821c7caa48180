"""Backup and restore against the real services: create, verify, restore into an empty stack (records,
objects, search rebuilt, audit chain verified), incremental storage, refusals of tampered and wrongly keyed
backups, retention, and the run records behind /readyz and /metrics.

The backed-up and the restored stacks have their own database, bucket and index prefix (the session's plus a
suffix), so the sample data never meets the other tests' data. Beanie binds its models to one database at a
time: each stack binds them to its own while it is in use, and the session's database is bound again after.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client import generate_latest
from prometheus_client.utils import floatToGoString
from pydantic import SecretStr

from hub.audit.anchor import checkpoint_now
from hub.audit.checkpoint import PREFIX as CHECKPOINT_PREFIX
from hub.backup.create import create_backup
from hub.backup.crypto import BackupKey
from hub.backup.errors import BackupError, BackupErrorCode
from hub.backup.manifest import Manifest, backup_ids, manifest_name, read_manifest
from hub.backup.prune import prune
from hub.backup.restore import restore_backup
from hub.backup.runs import BackupRun, RunStatus, backup_lease, last_success
from hub.backup.service import run_backup
from hub.backup.targets import DirectoryTarget, open_target
from hub.backup.verify import verify_backup
from hub.clients import Clients
from hub.http.observability import backup_last_success, refresh_backup_gauges
from hub.inventory.state import Inventory, differences, take_inventory
from hub.regions.seed import seed_regions
from hub.reports.templates import seed_templates
from hub.sample.seed import seed_sample
from hub.settings import Settings
from search.inventory import index_states, rebuild_all
from tests import stacks
from tests.processes import ROOT, settings_env
from tests.stacks import bound

SECRET = b"backup-key-of-the-tests-0123456789abcdef"
OTHER_SECRET = b"another-operators-key-0123456789abcdef!!"
KEY = BackupKey.derive(SECRET)


def own_stack(base: Settings, name: str) -> AbstractAsyncContextManager[Clients]:
    return stacks.own_stack(base, name, backup_key=SecretStr(SECRET.decode()))


@dataclass
class Source:
    clients: Clients
    target: DirectoryTarget
    first: Manifest
    second: Manifest
    inventory: Inventory  # of the source when the second backup was taken


@pytest.fixture(scope="module")
async def source(
    settings: Settings, clients: Clients, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Source]:
    """A stack with sample data, backed up once, changed, then backed up again (incrementally)."""
    target = DirectoryTarget(tmp_path_factory.mktemp("backups"))
    async with own_stack(settings, "src") as stack:
        async with bound(stack, clients):
            await seed_regions()
            await seed_templates()
            await seed_sample(stack.settings, stack.store, round_number=1, regions=3)
            first = await create_backup(stack, target, KEY)
            await seed_sample(stack.settings, stack.store, round_number=2, regions=3)
            await rebuild_all(stack)  # the index up to date, to compare a restore's rebuild with
            assert (await checkpoint_now(stack.store)).written is not None  # an object no record names
            second = await create_backup(stack, target, KEY)
            database = stack.mongo[stack.settings.mongo_database]
            inventory = await take_inventory(
                database, stack.store, deep=True, index=await index_states(stack)
            )
        yield Source(stack, target, first, second, inventory)


def copy_target(source: Source, tmp_path: Path) -> DirectoryTarget:
    copied = tmp_path / "copy"
    shutil.copytree(source.target.root, copied)
    return DirectoryTarget(copied)


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


async def test_backup_holds_every_record_and_object(source: Source) -> None:
    manifest, inventory = source.second, source.inventory
    assert {name: part.records for name, part in manifest.collections.items()} == {
        name: state.records for name, state in inventory.collections.items()
    }
    assert {name: part.sha256 for name, part in manifest.collections.items()} == {
        name: state.sha256 for name, state in inventory.collections.items()
    }
    assert manifest.collections["reports"].records == 3 * 3 + 3  # two quarters and an incident each, one more
    assert manifest.collections["regions"].records == 553
    assert "backup_runs" not in manifest.collections
    # Files of round 1 (one in two regions), new versions and files of round 2, one audit checkpoint.
    assert len(manifest.objects) == inventory.objects.referenced == 3 * 2 + 2 + 3 + 3 + 1
    checkpoints = [entry for entry in manifest.objects if entry.key.startswith(CHECKPOINT_PREFIX)]
    assert [entry.content_type for entry in checkpoints] == ["application/json"]
    assert manifest.problems == []
    report = await verify_backup(source.target, KEY, manifest.id)
    assert report.ok, report.problems
    assert report.blobs_checked == len(manifest.blobs())


async def test_incremental_stores_an_unchanged_object_once(source: Source) -> None:
    first, second = source.first, source.second
    first_objects = {entry.key: entry.blob for entry in first.objects}
    unchanged = [entry for entry in second.objects if first_objects.get(entry.key) == entry.blob]
    assert len(unchanged) == len(first.objects)  # round 2 replaced no bytes in place: versions are new keys
    stored = source.target.names("blobs/")
    for entry in unchanged:
        assert stored.count(entry.blob) == 1
    # The second backup wrote only what the first did not hold, and the target holds nothing twice.
    assert second.stats.blobs_written == len(second.blobs() - first.blobs())
    assert sorted(stored) == sorted(first.blobs() | second.blobs())
    assert second.stats.bytes_written < first.stats.bytes_written
    # One file uploaded in two regions: two records, one blob.
    per_blob = Counter(entry.blob for entry in first.objects)
    assert sorted(per_blob.values(), reverse=True)[:2] == [2, 1]
    assert first.stats.blobs_reused == 1


async def test_restore_into_an_empty_stack_brings_everything_back(
    source: Source, settings: Settings, clients: Clients
) -> None:
    async with own_stack(settings, "restored") as stack, bound(stack, clients):
        report = await restore_backup(stack, source.target, KEY, source.second.id, rebuild_search=rebuild_all)
        database = stack.mongo[stack.settings.mongo_database]
        restored = await take_inventory(database, stack.store, deep=True, index=await index_states(stack))
    assert report.records == source.second.record_count
    assert report.objects == len(source.second.objects)
    assert report.audit.startswith("audit chain ok") and "1 checkpoints match" in report.audit
    assert differences(source.inventory, restored) == []
    assert restored.problems() == []
    assert restored.index["reports"].entries == source.inventory.index["reports"].entries == 12


async def test_restore_refuses_a_stack_with_data_unless_forced(
    source: Source, settings: Settings, clients: Clients
) -> None:
    async with own_stack(settings, "occupied") as stack, bound(stack, clients):
        await seed_templates()
        with pytest.raises(BackupError) as refused:
            await restore_backup(stack, source.target, KEY, source.first.id, rebuild_search=rebuild_all)
        assert refused.value.code is BackupErrorCode.NOT_EMPTY
        assert "report_templates" in refused.value.message
        database = stack.mongo[stack.settings.mongo_database]
        assert await database.get_collection("regions").count_documents({}) == 0

        report = await restore_backup(
            stack, source.target, KEY, source.first.id, rebuild_search=rebuild_all, force=True
        )
        assert report.records == source.first.record_count
        assert await database.get_collection("report_templates").count_documents({}) == 2


async def test_a_tampered_object_is_refused_naming_its_file(
    source: Source, settings: Settings, clients: Clients, tmp_path: Path
) -> None:
    target = copy_target(source, tmp_path)
    victim = source.second.objects[-1].blob
    flip_byte(target.root / victim, 100)

    report = await verify_backup(target, KEY, source.second.id)
    assert [(p.code, p.file) for p in report.problems] == [(BackupErrorCode.TAMPERED, victim)]

    async with own_stack(settings, "refused") as stack, bound(stack, clients):
        with pytest.raises(BackupError) as refused:
            await restore_backup(stack, target, KEY, source.second.id, rebuild_search=rebuild_all)
        database = stack.mongo[stack.settings.mongo_database]
        assert await database.get_collection("regions").count_documents({}) == 0
        assert await asyncio.to_thread(stack.store.keys_sync) == []
    assert refused.value.code is BackupErrorCode.TAMPERED
    assert refused.value.file == victim
    assert victim in str(refused.value)


async def test_a_tampered_or_truncated_segment_and_manifest_are_refused(
    source: Source, tmp_path: Path
) -> None:
    target = copy_target(source, tmp_path)
    segment = source.second.collections["reports"].segments[0].blob
    path = target.root / segment
    path.write_bytes(path.read_bytes()[:-7])  # cut short
    report = await verify_backup(target, KEY, source.second.id)
    assert [(p.code, p.file) for p in report.problems] == [(BackupErrorCode.TAMPERED, segment)]

    name = manifest_name(source.second.id)
    flip_byte(target.root / name, 40)
    with pytest.raises(BackupError) as refused:
        await verify_backup(target, KEY, source.second.id)
    assert (refused.value.code, refused.value.file) == (BackupErrorCode.TAMPERED, name)


async def test_a_wrongly_keyed_backup_is_refused(
    source: Source, settings: Settings, clients: Clients
) -> None:
    wrong = BackupKey.derive(OTHER_SECRET)
    with pytest.raises(BackupError) as refused:
        await verify_backup(source.target, wrong, source.second.id)
    assert refused.value.code is BackupErrorCode.WRONG_KEY
    assert refused.value.file == manifest_name(source.second.id)
    async with own_stack(settings, "wrongkey") as stack, bound(stack, clients):
        with pytest.raises(BackupError) as restore_refused:
            await restore_backup(stack, source.target, wrong, source.second.id, rebuild_search=rebuild_all)
        assert restore_refused.value.code is BackupErrorCode.WRONG_KEY
        database = stack.mongo[stack.settings.mongo_database]
        assert await database.get_collection("regions").count_documents({}) == 0


async def test_the_command_line_refuses_a_tampered_backup_with_its_name(
    source: Source, settings: Settings, tmp_path: Path
) -> None:
    target = copy_target(source, tmp_path)
    victim = source.second.collections["regions"].segments[0].blob
    flip_byte(target.root / victim, 50)
    async with own_stack(settings, "cli") as stack:  # dropped afterwards, as the commands open it
        env = settings_env(stack.settings)
        for command in ("verify", "restore"):
            done = await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "hub.cli", "backup", command, "--target", str(target.root)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 1, done.stderr
            assert "TAMPERED" in done.stderr
            assert victim in done.stderr.replace("\n", "")
        database = stack.mongo[stack.settings.mongo_database]
        assert await database.get_collection("regions").count_documents({}) == 0


async def test_a_bucket_target_round_trip(source: Source, settings: Settings, clients: Clients) -> None:
    bucket = f"{settings.minio_bucket}-bk"
    target = open_target(source.clients.settings, f"s3://{bucket}/nightly")
    manifest = await create_backup(source.clients, target, KEY)
    try:
        assert await asyncio.to_thread(backup_ids, target) == [manifest.id]
        report = await verify_backup(target, KEY, manifest.id)
        assert report.ok, report.problems
        assert manifest.collections == source.second.collections  # nothing changed since
    finally:
        minio = source.clients.store.client
        for item in minio.list_objects(bucket, recursive=True):
            minio.remove_object(bucket, str(item.object_name))
        minio.remove_bucket(bucket)


async def test_prune_keeps_the_newest_and_what_they_need(source: Source, tmp_path: Path) -> None:
    target = copy_target(source, tmp_path)
    result = await asyncio.to_thread(prune, target, KEY, 1)
    assert result.removed == [source.first.id]
    assert result.blobs_removed == len(source.first.blobs() - source.second.blobs()) > 0
    assert sorted(target.names("blobs/")) == sorted(source.second.blobs())
    assert (await verify_backup(target, KEY, source.second.id)).ok
    with pytest.raises(BackupError):  # with the wrong key, nothing is deleted
        await asyncio.to_thread(
            prune, copy_target(source, tmp_path / "again"), BackupKey.derive(OTHER_SECRET), 1
        )
    assert read_manifest(target, KEY, source.second.id).id == source.second.id


async def test_runs_are_recorded_and_a_failure_is_logged_for_alerting(
    source: Source, clients: Clients, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with bound(source.clients, clients) as stack:
        assert await last_success() is None
        outcome = await run_backup(stack, DirectoryTarget(tmp_path / "ok"), KEY, keep=2, holder="test")
        succeeded = await last_success()
        assert succeeded is not None
        assert outcome.pruned is not None and outcome.pruned.kept == [outcome.manifest.id]

        blocked = tmp_path / "not-a-directory"
        blocked.write_text("a file where the target directory should be")
        with caplog.at_level(logging.ERROR), pytest.raises((NotADirectoryError, FileExistsError)):
            await run_backup(stack, DirectoryTarget(blocked / "inside"), KEY, keep=2, holder="test")
        assert await last_success() == succeeded
        # What /readyz and /metrics report of it.
        assert await backup_last_success() == succeeded.isoformat()
        await refresh_backup_gauges()
        exposed = generate_latest().decode()
        when = floatToGoString(succeeded.timestamp())
        assert f"pantau_backup_last_success_timestamp_seconds {when}" in exposed
        assert "pantau_backup_last_run_failed 1.0" in exposed
        alerts = [r for r in caplog.records if getattr(r, "alert", None) == "backup_failed"]
        assert len(alerts) == 1

        async with backup_lease("someone-else", timedelta(minutes=5)):
            with pytest.raises(BackupError) as busy:
                await run_backup(stack, DirectoryTarget(tmp_path / "ok"), KEY, keep=2, holder="test")
        assert busy.value.code is BackupErrorCode.BUSY
        statuses = [run.status for run in await BackupRun.find_all().sort("started_at").to_list()]
        assert statuses == [RunStatus.SUCCEEDED, RunStatus.FAILED]
