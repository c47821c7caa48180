"""Upload through GraphQL multipart → MinIO + MongoDB → Celery worker extracts → Elasticsearch → search."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from hub.clients import Clients
from tests.files import pdf_with_text
from tests.graphql import gql, payload, upload

DOCUMENT_STATE = "query($id: ID!) { node(id: $id) { ... on Document { state rejectionReason } } }"
SEARCH = """query($q: String!) { search(query: $q) { totalCount
  nodes { score highlights titleHighlight document { id fileName region { code } } } } }"""


async def wait_for_state(
    http: httpx.AsyncClient, document_id: str, state: str, worker_log: Path
) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    node: dict[str, Any] = {}
    while time.monotonic() < deadline:
        node = (await gql(http, DOCUMENT_STATE, {"id": document_id}))["node"]
        if node["state"] == state:
            return node
        await asyncio.sleep(0.3)
    log_tail = await asyncio.to_thread(lambda: worker_log.read_text()[-3000:])
    raise AssertionError(f"document stayed {node}; worker log:\n{log_tail}")


async def test_uploaded_pdf_is_extracted_indexed_and_found_by_stem(
    http: httpx.AsyncClient, clients: Clients, worker: Path
) -> None:
    marker = uuid.uuid4().hex[:8]
    data = pdf_with_text(
        "Berita acara rapat Tim Pemantauan Kota Jakarta Selatan",
        f"Warga memilih dengan tertib di seluruh TPS. Kode {marker}.",
    )
    result = payload(
        await upload(http, region="31.74", data=data, name="berita acara.pdf", category="MINUTES")
    )
    assert result["errors"] == []
    document = result["document"]
    assert result["created"] is True
    assert (document["contentType"], document["size"], document["region"]) == (
        "application/pdf",
        len(data),
        {"code": "31.74"},
    )
    assert document["state"] == "STORED"
    assert await clients.store.exists(await _object_key(clients, document["sha256"])) is True

    await wait_for_state(http, document["id"], "INDEXED", worker)
    await clients.es.indices.refresh(index=f"{clients.settings.es_index_prefix}-documents")

    # "pemilihan" is not in the text: it is found through the shared stem of "memilih".
    found = (await gql(http, SEARCH, {"q": f"pemilihan {marker}"}))["search"]
    assert found["totalCount"] == 1
    hit = found["nodes"][0]
    assert hit["document"]["id"] == document["id"]
    assert hit["document"]["region"] == {"code": "31.74"}
    assert any(f"<em>{marker}</em>" in snippet for snippet in hit["highlights"]), hit["highlights"]

    excluded = (await gql(http, SEARCH, {"q": f"{marker} -memilih"}))["search"]
    assert excluded["totalCount"] == 0


async def test_plain_text_upload_is_found_by_phrase(
    http: httpx.AsyncClient, clients: Clients, worker: Path
) -> None:
    marker = uuid.uuid4().hex[:8]
    text = f"Laporan kejadian {marker}: unjuk rasa damai di depan kantor bupati, situasi kondusif.\n"
    result = payload(
        await upload(http, region="11.01", data=text.encode(), name="kejadian.txt", category="OTHER")
    )
    document = result["document"]
    assert document["contentType"] == "text/plain"
    await wait_for_state(http, document["id"], "INDEXED", worker)
    await clients.es.indices.refresh(index=f"{clients.settings.es_index_prefix}-documents")

    phrase = (await gql(http, SEARCH, {"q": f'"unjuk rasa damai" {marker}'}))["search"]
    assert [node["document"]["id"] for node in phrase["nodes"]] == [document["id"]]
    wrong_order = (await gql(http, SEARCH, {"q": f'"damai rasa unjuk" {marker}'}))["search"]
    assert wrong_order["totalCount"] == 0


async def test_same_file_in_same_region_is_stored_once(http: httpx.AsyncClient, clients: Clients) -> None:
    data = pdf_with_text(f"NPHD Kabupaten Aceh Selatan {uuid.uuid4()}")
    first = payload(await upload(http, region="11.01", data=data, name="nphd.pdf", category="NPHD"))
    again = payload(await upload(http, region="11.01", data=data, name="nphd (1).pdf", category="NPHD"))
    assert first["created"] is True
    assert again["created"] is False
    assert again["document"]["id"] == first["document"]["id"]
    keys = await asyncio.to_thread(clients.store.keys_sync, "documents/11.01/")
    count = await clients.mongo[clients.settings.mongo_database]["documents"].count_documents(
        {"sha256": first["document"]["sha256"]}
    )
    assert count == 1
    assert keys.count(await _object_key(clients, first["document"]["sha256"])) == 1
    assert len(keys) == len(set(keys))


async def test_retry_with_client_mutation_id_returns_the_first_result(http: httpx.AsyncClient) -> None:
    data = f"Laporan harian {uuid.uuid4()}".encode()
    first = payload(
        await upload(http, region="11.02", data=data, name="a.txt", client_mutation_id="phone-42")
    )
    retry = payload(
        await upload(http, region="11.02", data=data, name="a.txt", client_mutation_id="phone-42")
    )
    assert retry["clientMutationId"] == "phone-42"
    assert retry["document"]["id"] == first["document"]["id"]
    assert retry["created"] is False


async def _object_key(clients: Clients, sha256: str) -> str:
    record = await clients.mongo[clients.settings.mongo_database]["documents"].find_one({"sha256": sha256})
    assert record is not None
    return str(record["object_key"])
