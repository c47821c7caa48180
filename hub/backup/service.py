"""One backup run as the scheduler and `pantau backup create` do it: under the lease, recorded as a
BackupRun, followed by retention. A failure is logged at ERROR with `alert: backup_failed` for the log-based
alerting, and leaves `/readyz`'s and the metric's last success where it was."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import anyio.to_thread

from hub.backup.create import NO_PROGRESS, Progress, create_backup
from hub.backup.crypto import BackupKey
from hub.backup.manifest import Manifest
from hub.backup.prune import PruneResult, prune
from hub.backup.runs import BackupRun, RunStatus, backup_lease
from hub.backup.targets import Target, open_target
from hub.clients import Clients
from hub.core.clock import storable_time, utcnow
from hub.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    manifest: Manifest
    pruned: PruneResult | None


def backup_key(settings: Settings) -> BackupKey:
    """The operator's key from the settings; SettingsError names the variable when there is none."""
    return BackupKey.derive(settings.backup_secret())


async def run_backup(
    clients: Clients,
    target: Target,
    key: BackupKey,
    *,
    keep: int | None,
    holder: str,
    progress: Progress = NO_PROGRESS,
) -> RunOutcome:
    """Takes a backup and (with `keep`) prunes to the newest `keep`; raises what made it fail."""
    lease = timedelta(seconds=clients.settings.backup_time_limit_seconds)
    run = BackupRun(started_at=storable_time(utcnow()), target=target.description)
    async with backup_lease(holder, lease):
        await run.insert()
        try:
            manifest = await create_backup(clients, target, key, progress)
            pruned = await anyio.to_thread.run_sync(prune, target, key, keep) if keep else None
        except BaseException as error:
            await _finish(run, RunStatus.FAILED, error=f"{type(error).__name__}: {error}")
            log.error(
                "backup to %s failed: %s",
                target.description,
                error,
                extra={"alert": "backup_failed", "target": target.description},
                exc_info=not isinstance(error, Exception) or None,
            )
            raise
    run.backup_id = manifest.id
    run.records, run.objects = manifest.record_count, len(manifest.objects)
    run.bytes_written, run.problems = manifest.stats.bytes_written, manifest.problems
    await _finish(run, RunStatus.SUCCEEDED)
    if manifest.problems:
        log.error(
            "backup %s is missing what it could not read: %s",
            manifest.id,
            "; ".join(manifest.problems),
            extra={"alert": "backup_incomplete", "backup": manifest.id},
        )
    log.info(
        "backup %s: %d records, %d objects, %d bytes written, %d blobs reused",
        manifest.id,
        manifest.record_count,
        len(manifest.objects),
        manifest.stats.bytes_written,
        manifest.stats.blobs_reused,
        extra={"backup": manifest.id, "target": target.description},
    )
    return RunOutcome(manifest, pruned)


async def _finish(run: BackupRun, status: RunStatus, error: str | None = None) -> None:
    run.status, run.error, run.finished_at = status, error, storable_time(utcnow())
    await run.save()


async def scheduled_backup(clients: Clients) -> str:
    """The periodic task's work: a backup to PANTAU_BACKUP_TARGET, keeping PANTAU_BACKUP_KEEP."""
    settings = clients.settings
    try:
        target = open_target(settings)
        key = backup_key(settings)
    except Exception as error:
        log.error("scheduled backup cannot start: %s", error, extra={"alert": "backup_failed"})
        raise
    outcome = await run_backup(clients, target, key, keep=settings.backup_keep, holder="scheduler")
    return outcome.manifest.id
