"""A worker killed outright (SIGKILL to its whole process group: main process, pool children, their OCR tools)
in the middle of OCR loses no task. The broker still holds the message the worker took and never
acknowledged (acks_late); once the visibility timeout has passed, a new worker gets it again and finishes
the document. Had the broker lost that message too, the periodic sweep re-ingests a document left `stored`.

The worker runs with a short task time limit and visibility timeout (PANTAU_TASK_TIME_LIMIT_SECONDS,
PANTAU_BROKER_VISIBILITY_TIMEOUT_SECONDS) so that the redelivery comes within seconds, not minutes.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import re
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bson import ObjectId
from pydantic import ValidationError
from redis.asyncio import Redis

from hub.app import create_app
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentState, StoredDocument
from hub.settings import Settings
from tests.conftest import Account
from tests.faults import documents, drop_queue, eventually, search_ids, unacked_keys, upload_file
from tests.files import pdf_of_pages, scanned_page
from tests.graphql import app_clients
from tests.processes import WorkerProcess, start_worker
from workers.celery_app import UNACKED_RESTORE_INTERVAL_SECONDS, create_celery
from workers.extraction import ExtractionLimits
from workers.tasks import STALE_AFTER

TIME_LIMIT_SECONDS = 10  # OCR stops after 6 s (ExtractionLimits: 3/4 of the soft limit, 8 s)
VISIBILITY_SECONDS = 15
OCR_TOOLS = {"tesseract", "pdftoppm"}
RECEIVED = re.compile(r"Task pantau\.ingest_document\[([0-9a-f-]+)\] received")


def _scan(marker: str) -> bytes:
    """A scanned decree of 8 pages without a text layer: OCR keeps a worker busy for seconds."""
    first = scanned_page("SURAT KEPUTUSAN BUPATI", f"Nomor {marker}", "tentang Tim Pemantauan Pemilihan")
    other = scanned_page("LAMPIRAN", "Susunan keanggotaan Tim Pemantauan")
    return pdf_of_pages(first, other, repeat=4)


@pytest.fixture
async def quick_settings(settings: Settings, seeded: Clients) -> AsyncIterator[Settings]:
    """A queue of this test's own, and limits short enough for a test."""
    own = settings.model_copy(
        update={
            "celery_queue": f"{settings.celery_queue}-killed-{uuid.uuid4().hex[:6]}",
            "task_time_limit_seconds": TIME_LIMIT_SECONDS,
            "broker_visibility_timeout_seconds": VISIBILITY_SECONDS,
        }
    )
    yield own
    await drop_queue(seeded.redis, own.celery_queue)


def _wait_until_busy(worker: WorkerProcess, tasks: int, seconds: float = 60) -> None:
    """Until the worker has received `tasks` ingest tasks and each of that many pool children has run an OCR
    tool (pdftoppm or Tesseract) for one."""
    busy: set[int] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        group = worker.group()
        children = {pid for pid, parent, _ in group if parent == worker.pid}
        busy |= {parent for _, parent, name in group if name in OCR_TOOLS and parent in children}
        if len(busy) >= tasks and len(RECEIVED.findall(worker.text())) >= tasks:
            return
        time.sleep(0.05)
    raise AssertionError(f"the worker never ran {tasks} OCR tasks at once:\n{worker.text()[-3000:]}")


async def _held(redis: Redis, settings: Settings) -> dict[str, tuple[str, str]]:
    """The ingest messages the broker holds as taken and unacknowledged: document id → (delivery tag, task
    id)."""
    key, _ = unacked_keys(settings)
    held = {}
    for tag, raw in (await redis.hgetall(key)).items():
        message, _exchange, _routing_key = json.loads(raw)
        if message["headers"]["task"] == "pantau.ingest_document":
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            held[args[0]] = (tag.decode(), message["headers"]["id"])
    return held


async def test_a_worker_killed_mid_task_loses_no_task(
    seeded: Clients, accounts: dict[str, Account], quick_settings: Settings, tmp_path: Path
) -> None:
    admin = accounts["admin"].token
    key, index_key = unacked_keys(quick_settings)
    app = create_app(quick_settings, shared_clients=seeded)
    async with app.router.lifespan_context(app):
        api = app_clients(app)
        first = await asyncio.to_thread(start_worker, quick_settings, tmp_path / "killed.log", concurrency=2)
        try:
            # Digits: OCR reads them reliably, and the search treats each number as one word.
            redelivered_marker, swept_marker = (str(random.randint(10**7, 10**8 - 1)) for _ in range(2))
            redelivered = await upload_file(api, admin, _scan(redelivered_marker), "sk-bupati.pdf")
            swept = await upload_file(api, admin, _scan(swept_marker), "sk-lampiran.pdf")
            await asyncio.to_thread(_wait_until_busy, first, 2)
            first.kill()
        finally:
            first.kill()
        killed_at = time.monotonic()
        assert first.group() == []  # the OCR tools died with it

        # Nothing was finished, and the broker still holds both messages as taken.
        for document in await documents({redelivered, swept}):
            assert (document.state, document.revision, document.text) == (DocumentState.STORED, 1, None)
        held = await _held(seeded.redis, quick_settings)
        assert set(held) == {redelivered, swept}
        for _tag, task_id in held.values():
            assert f"pantau.ingest_document[{task_id}] received" in first.text()
        # The broker loses one of them as well (say it restarted without persistence): only the sweep can
        # bring that document back, once it has been `stored` for longer than the sweep waits.
        lost_tag, lost_task = held[swept]
        await seeded.redis.hdel(key, lost_tag)
        await seeded.redis.zrem(index_key, lost_tag)
        await StoredDocument.get_pymongo_collection().update_one(
            {"_id": ObjectId(swept)}, {"$set": {"updated_at": utcnow() - STALE_AFTER - STALE_AFTER}}
        )

        second = await asyncio.to_thread(start_worker, quick_settings, tmp_path / "second.log", concurrency=2)
        try:
            send = app.state.dispatcher.app.send_task
            await asyncio.to_thread(send, "pantau.sweep", queue=quick_settings.celery_queue)

            async def both_indexed() -> bool:
                found = await documents({redelivered, swept})
                return all(document.state is DocumentState.INDEXED for document in found)

            # Bound: the visibility timeout, one look for expired messages, one run of the task.
            bound = VISIBILITY_SECONDS + UNACKED_RESTORE_INTERVAL_SECONDS + TIME_LIMIT_SECONDS + 5
            waited = max(bound - (time.monotonic() - killed_at), 0) + 15  # + the second worker's start
            await eventually(both_indexed, "both documents indexed", second, waited)
            log = second.text()
            # The same task, delivered again; the other document came back through the sweep alone.
            assert f"pantau.ingest_document[{held[redelivered][1]}] received" in log
            assert lost_task not in log
            assert re.search(r"sweep picked up \{'ingested': [1-9]", log), log[-3000:]
            for document, marker in ((redelivered, redelivered_marker), (swept, swept_marker)):
                text = (await StoredDocument.get(ObjectId(document))).text  # type: ignore[union-attr]
                assert marker in (text or "")

                async def found(marker: str = marker, document: str = document) -> bool:
                    return await search_ids(api, admin, marker) == {document}

                await eventually(found, f"search finding {marker}", second, 15)
            assert await seeded.redis.hlen(key) == 0  # acknowledged at last
        finally:
            await asyncio.to_thread(second.stop)


@pytest.mark.parametrize(
    ("time_limit", "visibility", "soft_limit", "ocr_budget"),
    [(600, 1200, 570, 427.5), (60, 420, 48, 36), (TIME_LIMIT_SECONDS, 370, 8, 6)],
)
def test_worker_limits_follow_the_task_time_limit(
    settings: Settings, time_limit: int, visibility: int, soft_limit: float, ocr_budget: float
) -> None:
    """The message of a dead worker comes back only after a healthy one would be done with it: a task runs
    up to the time limit, a retry waits up to 300 s first. A short limit still leaves tasks most of it."""
    configured = settings.model_copy(
        update={"task_time_limit_seconds": time_limit, "broker_visibility_timeout_seconds": None}
    )
    assert configured.broker_visibility_timeout == visibility
    assert create_celery(configured).conf.broker_transport_options["visibility_timeout"] == visibility
    assert create_celery(configured).conf.task_soft_time_limit == soft_limit
    assert ExtractionLimits.from_settings(configured).budget_seconds == ocr_budget


def test_a_visibility_timeout_shorter_than_a_task_is_refused(settings: Settings) -> None:
    given = {**settings.model_dump(), "task_time_limit_seconds": 60, "broker_visibility_timeout_seconds": 60}
    refused = r"PANTAU_BROKER_VISIBILITY_TIMEOUT_SECONDS \(60\) must be more than"
    with pytest.raises(ValidationError, match=refused):
        Settings.model_validate(given)
    given["broker_visibility_timeout_seconds"] = 61
    assert Settings.model_validate(given).broker_visibility_timeout == 61
