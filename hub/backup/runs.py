"""Backup runs as records (what /readyz and /metrics report), and the lease that lets one run at a time.

The lease matters for pruning: a prune deletes blobs no kept manifest names, which a backup running at the
same time may have just decided to reuse. It lives in its own collection (`backup_lease`), outside the
backed-up models, as one document with a fixed id: taking it is one upsert, which fails on the unique `_id`
while another holder's lease has not expired.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from beanie import Document
from pydantic import Field
from pymongo import DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from hub.backup.errors import BackupError, BackupErrorCode
from hub.core.clock import storable_time, utcnow

LEASE_COLLECTION = "backup_lease"
LEASE_ID = "backup"


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class BackupRun(Document):
    """One attempt at a backup (scheduled or from the command line)."""

    started_at: datetime
    finished_at: datetime | None = None
    status: RunStatus = RunStatus.RUNNING
    target: str = Field(description="where it went (a directory or s3:// location)")
    backup_id: str | None = None
    records: int = 0
    objects: int = 0
    bytes_written: int = 0
    problems: list[str] = Field(default_factory=list)
    error: str | None = None

    class Settings:
        name = "backup_runs"
        indexes = [IndexModel([("status", DESCENDING), ("finished_at", DESCENDING)])]


async def last_success() -> datetime | None:
    run = await BackupRun.find({"status": RunStatus.SUCCEEDED.value}).sort("-finished_at").first_or_none()
    return run.finished_at if run is not None else None


async def last_run() -> BackupRun | None:
    return (
        await BackupRun.find({"status": {"$ne": RunStatus.RUNNING.value}})
        .sort("-finished_at")
        .first_or_none()
    )


@asynccontextmanager
async def backup_lease(holder: str, duration: timedelta) -> AsyncIterator[None]:
    """Holds the backup lease for the block, or raises BackupError BUSY."""
    collection = BackupRun.get_pymongo_collection().database.get_collection(LEASE_COLLECTION)
    now = storable_time(utcnow())
    token = f"{holder}:{secrets.token_hex(6)}"
    lease: dict[str, Any] = {"holder": token, "until": now + duration}
    try:
        await collection.update_one({"_id": LEASE_ID, "until": {"$lt": now}}, {"$set": lease}, upsert=True)
    except DuplicateKeyError:
        held = await collection.find_one({"_id": LEASE_ID})
        owner = f"{held['holder']} until {held['until']:%Y-%m-%d %H:%M:%S} UTC" if held else "another run"
        raise BackupError(BackupErrorCode.BUSY, f"another backup or prune is running ({owner})") from None
    try:
        yield
    finally:
        await collection.delete_one({"_id": LEASE_ID, "holder": token})
