"""Elasticsearch stopped: uploads and report edits still succeed and keep their `needs_index` marker while the
tasks retry with backoff; once it is back, the periodic sweep (sent as the scheduler sends it) makes every
record searchable, nothing missing and nothing stale, with no reindex by hand.

"Stopped" is a switch in front of the shared Elasticsearch (tests/faults.py) that only this test's app and
workers use: its port refuses connections, then opens again, as a restarted server would.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bson import ObjectId
from pydantic import AnyUrl

from hub.app import create_app
from hub.clients import Clients, make_es
from hub.documents.models import DocumentState
from hub.settings import Settings
from search.indexer import index_pending
from search.kinds import DOCUMENT_KIND, KINDS, REPORT_KIND, RecordKind
from tests.case_factories import CREATE as CASE_CREATE
from tests.case_factories import case_input
from tests.conftest import Account
from tests.faults import ServiceSwitch, documents, drop_queue, eventually, search_ids, upload_file
from tests.files import pdf_with_text
from tests.graphql import Client, app_clients, gql_field_as, raw_id
from tests.processes import start_worker
from tests.reports_helpers import COMPLETE_VALUES, NARRATIVES, STEP, UPDATE, content, create_report
from tests.search_corpus import new_marker
from tests.test_reports import fresh_period
from workers.ingest import ingest_document
from workers.tasks import RETRY

RETRY_LINE = re.compile(r"Task (pantau\.\w+)\[([0-9a-f-]+)\] retry: Retry in (\d+)s")


@pytest.fixture
def es_switch(settings: Settings) -> Iterator[ServiceSwitch]:
    address = urlsplit(str(settings.es_url))
    switch = ServiceSwitch(address.hostname or "127.0.0.1", address.port or 9200)
    switch.start()
    yield switch
    switch.stop()


@pytest.fixture
async def outage_settings(
    settings: Settings, es_switch: ServiceSwitch, seeded: Clients
) -> AsyncIterator[Settings]:
    """This test's apps and workers reach Elasticsearch through the switch, over a queue of their own."""
    own = settings.model_copy(
        update={
            "es_url": AnyUrl(es_switch.url),
            "celery_queue": f"{settings.celery_queue}-es-outage-{uuid.uuid4().hex[:6]}",
        }
    )
    yield own
    await drop_queue(seeded.redis, own.celery_queue)


async def _created_since(kind: RecordKind, since: ObjectId) -> dict[str, bool]:
    """Each record of the kind made since `since` (by this test), and whether it is marked `needs_index`."""
    rows = kind.model.get_pymongo_collection().find({"_id": {"$gte": since}}, {"needs_index": 1})
    return {str(row["_id"]): bool(row.get("needs_index")) async for row in rows}


async def _counters(kind: RecordKind, ids: set[str]) -> dict[str, int]:
    """What MongoDB holds: each record's version counter."""
    rows = kind.model.get_pymongo_collection().find(
        {"_id": {"$in": [ObjectId(value) for value in ids]}}, {kind.counter: 1}
    )
    return {str(row["_id"]): int(row[kind.counter]) async for row in rows}


async def _indexed(clients: Clients, kind: RecordKind, ids: set[str]) -> dict[str, int]:
    """What the real Elasticsearch holds: the version of each of these ids that it has."""
    found = await clients.es.mget(index=kind.alias(clients.settings.es_index_prefix), ids=sorted(ids))
    return {hit["_id"]: hit["_version"] for hit in found["docs"] if hit.get("found")}


async def test_writes_during_an_elasticsearch_outage_are_all_searchable_once_it_is_back(
    seeded: Clients,
    accounts: dict[str, Account],
    es_switch: ServiceSwitch,
    outage_settings: Settings,
    tmp_path: Path,
) -> None:
    started = ObjectId.from_datetime(datetime.now(UTC) - timedelta(seconds=2))
    operator, admin = accounts["operator-31.74"].token, accounts["admin"].token
    marker, old, new = new_marker(), new_marker(), new_marker()
    es = make_es(outage_settings)
    outage_clients = dataclasses.replace(seeded, settings=outage_settings, es=es)
    async with AsyncExitStack() as stack:
        stack.push_async_callback(es.close)
        running = create_app(outage_settings, shared_clients=outage_clients)
        await stack.enter_async_context(running.router.lifespan_context(running))
        api = app_clients(running)
        # Records of earlier tests made in the second before `started` (ObjectIds keep seconds) are theirs.
        earlier = {name: set(await _created_since(kind, started)) for name, kind in KINDS.items()}

        # Before the outage: a report and a document, indexed.
        narratives = {**NARRATIVES, "introduction": f"Pendahuluan {marker}", "analysis": f"Analisis {old}"}
        early = await create_report(
            api, operator, "31.74", *fresh_period(), content(COMPLETE_VALUES, narratives)
        )
        early_id = raw_id(early["id"])
        early_doc = await upload_file(api, admin, f"Notulen rapat awal {marker}".encode(), "awal.txt")
        assert await ingest_document(seeded, early_doc) == "indexed"
        prefix = seeded.settings.es_index_prefix
        assert await index_pending(seeded.es, prefix, REPORT_KIND, early_id) == "indexed"

        es_switch.stop()  # Elasticsearch is down from here on

        # A worker, and a second API process, that start during the outage.
        worker = await asyncio.to_thread(start_worker, outage_settings, tmp_path / "during.log")
        stack.push_async_callback(asyncio.to_thread, worker.stop)
        restarted = create_app(outage_settings, shared_clients=outage_clients)
        await stack.enter_async_context(restarted.router.lifespan_context(restarted))
        other_api = app_clients(restarted)
        async with other_api(None) as client:
            ready = await client.get("/readyz")
        assert ready.status_code == 200  # degraded: writes go on without Elasticsearch
        assert ready.json()["status"] == "degraded"
        services = ready.json()["services"]
        assert services.pop("elasticsearch").startswith("unreachable")
        assert set(services.values()) == {"ok"}

        # Uploads and report edits through both API processes, each without an error.
        update = {"content": content(narratives={"analysis": f"Analisis {new}"})}
        edited = await gql_field_as(api, operator, UPDATE, {"id": early["id"], "input": update})
        assert edited["errors"] == [], edited["errors"]
        text_doc = await upload_file(api, admin, f"Berita acara pemilihan {marker}".encode(), "berita.txt")
        pdf = pdf_with_text("Keputusan Bupati tentang Tim Pemantauan", f"Kode {marker}")
        pdf_doc = await upload_file(other_api, admin, pdf, "keputusan.pdf")
        new_docs = {text_doc, pdf_doc}
        later = await create_report(other_api, operator, "31.74", *fresh_period(), content(COMPLETE_VALUES))
        later_id = raw_id(later["id"])
        update = {"content": content(narratives={**narratives, "analysis": "-"})}
        edited = await gql_field_as(other_api, operator, UPDATE, {"id": later["id"], "input": update})
        assert edited["errors"] == [], edited["errors"]
        submitted = await gql_field_as(
            api, operator, STEP["reportSubmit"], {"id": later["id"], "input": None}
        )
        assert submitted["errors"] == [], submitted["errors"]
        assert submitted["report"]["status"] == "SUBMITTED"
        given = case_input(description=f"Logistik pemilu tertahan {marker}")
        opened = await gql_field_as(other_api, admin, CASE_CREATE, {"input": given})
        assert opened["errors"] == [], opened["errors"]
        case_id = raw_id(opened["case"]["id"])

        # The worker extracts the documents' text all the same; every indexing attempt fails and is retried
        # with backoff, and every record keeps its marker.
        async def extracted_and_retried() -> bool:
            retried = {name for name, _, _ in RETRY_LINE.findall(worker.text())}
            extracted = all(doc.state is DocumentState.EXTRACTED for doc in await documents(new_docs))
            return extracted and retried >= {"pantau.ingest_document", "pantau.index_record"}

        await eventually(extracted_and_retried, "extraction, and retries of indexing", worker, 60)
        for document in await documents(new_docs):
            assert marker in (document.text or "")
        waiting = {
            name: {key for key, marked in (await _created_since(kind, started)).items() if marked}
            - earlier[name]
            for name, kind in KINDS.items()
        }
        assert waiting == {"reports": {early_id, later_id}, "cases": {case_id}, "documents": new_docs}
        retries = RETRY_LINE.findall(worker.text())
        assert max(int(seconds) for _, _, seconds in retries) <= RETRY["retry_backoff_max"]
        per_task = [task for _, task, _ in retries]
        assert max(per_task.count(task) for task in per_task) <= RETRY["max_retries"]
        # The index still holds what it held before the outage, and nothing newer.
        assert await _indexed(seeded, REPORT_KIND, {early_id, later_id}) == {early_id: early["version"]}
        assert set(await _indexed(seeded, DOCUMENT_KIND, new_docs | {early_doc})) == {early_doc}

        # Retries would index all this once Elasticsearch is back; the sweep must do it even when every
        # message is gone (retries spent, the broker emptied). So the worker stops and its queue is dropped.
        await asyncio.to_thread(worker.stop)
        await drop_queue(seeded.redis, outage_settings.celery_queue)

        es_switch.start()  # Elasticsearch is back
        worker = await asyncio.to_thread(start_worker, outage_settings, tmp_path / "after.log")
        stack.push_async_callback(asyncio.to_thread, worker.stop)
        # The scheduler's periodic sweep; nobody reindexes.
        sweep = running.state.dispatcher.app.send_task
        await asyncio.to_thread(sweep, "pantau.sweep", queue=outage_settings.celery_queue)

        async def none_marked() -> bool:
            created = [await _created_since(kind, started) for kind in KINDS.values()]
            return not any(marked for records in created for marked in records.values())

        await eventually(none_marked, "indexing of everything written during the outage", worker, 60)
        assert all(doc.state is DocumentState.INDEXED for doc in await documents(new_docs))
        # Nothing missing, nothing stale: Elasticsearch holds every record made since the test began, each
        # at the version MongoDB holds.
        for kind in KINDS.values():
            created = set(await _created_since(kind, started)) - earlier[kind.name]
            assert await _indexed(seeded, kind, created) == await _counters(kind, created), kind.name

        # Searchable through each API process (its Elasticsearch client recovered too) once the index has
        # refreshed (every second): the edit made during the outage, not the text it replaced.
        expected = {early_id, later_id, case_id, early_doc, text_doc, pdf_doc}
        for through in (api, other_api):

            async def all_found(through: Client = through) -> bool:
                return await search_ids(through, admin, marker) == expected

            await eventually(all_found, "search finding every record", worker, seconds=15)
            assert await search_ids(through, admin, new) == {early_id}
            assert await search_ids(through, admin, old) == set()
