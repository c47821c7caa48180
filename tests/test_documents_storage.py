"""Object storage details of the document flows: ETag-pinned copies, URLs signed for the public endpoint, its
setting, and the periodic purge running in a real worker."""

from __future__ import annotations

import asyncio
import io
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import ValidationError

from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.links import content_disposition, download_url, public_endpoint, upload_form
from hub.documents.models import DocumentCategory, PendingUpload
from hub.documents.presigned import STAGING_PREFIX, staging_key
from hub.settings import Settings
from hub.storage import ObjectChangedError
from workers.celery_app import create_celery


async def test_an_object_overwritten_after_its_check_is_not_copied(clients: Clients) -> None:
    key = f"{STAGING_PREFIX}swap-{uuid.uuid4().hex}"
    await clients.store.put(key, io.BytesIO(b"checked"), 7, "text/plain")
    checked = await clients.store.stat(key)
    assert checked is not None
    await clients.store.put(key, io.BytesIO(b"swapped!"), 8, "text/plain")
    with pytest.raises(ObjectChangedError):
        await clients.store.copy(key, f"{key}-copy", "text/plain", etag=checked.etag)
    with pytest.raises(ObjectChangedError):
        await asyncio.to_thread(clients.store.sha256_sync, key, etag=checked.etag)
    await clients.store.remove(key)
    assert not await clients.store.exists(f"{key}-copy")


async def test_links_are_signed_for_the_public_endpoint(clients: Clients) -> None:
    settings = clients.settings.model_copy(update={"minio_public_endpoint": "https://berkas.pantau.example"})
    now = utcnow()
    link = download_url(settings, "documents/52.01/x", "a b.pdf", "application/pdf", now)
    parts = urlsplit(link.url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "berkas.pantau.example",
        f"/{settings.minio_bucket}/documents/52.01/x",
    )
    query = parse_qs(parts.query)
    assert query["X-Amz-Expires"] == [str(settings.download_url_ttl_seconds)]
    assert query["response-content-disposition"] == [content_disposition("a b.pdf")]
    assert link.expires_at == now + timedelta(seconds=settings.download_url_ttl_seconds)
    assert (
        upload_form(settings, "staging/x", 10, now).url
        == f"https://berkas.pantau.example/{settings.minio_bucket}"
    )
    post = upload_form(clients.settings, "staging/x", 10, now)
    assert urlsplit(post.url).netloc == clients.settings.minio_endpoint  # default: the internal endpoint


def test_public_endpoint_setting_is_checked(settings: Settings) -> None:
    values = settings.model_dump()
    for good, expected in [
        ("berkas.example:9000", ("berkas.example:9000", settings.minio_secure)),
        ("https://berkas.example/", ("berkas.example", True)),
        ("http://10.0.0.5:9000", ("10.0.0.5:9000", False)),
    ]:
        parsed = Settings.model_validate(values | {"minio_public_endpoint": good})
        assert public_endpoint(parsed) == expected
    for bad in ["ftp://berkas.example", "https://berkas.example/minio", "berkas example"]:
        with pytest.raises(ValidationError, match="minio_public_endpoint"):
            Settings.model_validate(values | {"minio_public_endpoint": bad})


def test_the_scheduler_purges_hourly(settings: Settings) -> None:
    entry = create_celery(settings).conf.beat_schedule["purge-documents"]
    assert entry["task"] == "pantau.purge_documents"
    assert entry["schedule"] == settings.trash_purge_interval_seconds == 3600
    assert entry["options"]["queue"] == settings.celery_queue


async def test_the_worker_task_purges_expired_uploads(
    clients: Clients, settings: Settings, worker: Path
) -> None:
    key = staging_key()
    await clients.store.put(key, io.BytesIO(b"setengah"), 8, "application/octet-stream")
    past = utcnow() - timedelta(hours=3)
    pending = PendingUpload(
        staging_key=key,
        region_code="31.74",
        region_path=["ID", "31", "31.74"],
        category=DocumentCategory.OTHER,
        file_name="setengah.pdf",
        size=100,
        sha256="0" * 64,
        uploader="user:admin",
        created_at=past,
        url_expires_at=past + timedelta(hours=1),
        expires_at=past + timedelta(hours=2),
    )
    await pending.insert()
    celery = create_celery(settings)
    await asyncio.to_thread(celery.send_task, "pantau.purge_documents", queue=settings.celery_queue)
    deadline = asyncio.get_running_loop().time() + 30
    while await PendingUpload.get(pending.id) is not None:
        if asyncio.get_running_loop().time() > deadline:
            log_text = await asyncio.to_thread(worker.read_text)
            raise AssertionError(f"not purged; worker log:\n{log_text[-3000:]}")
        await asyncio.sleep(0.3)
    assert not await clients.store.exists(key)
