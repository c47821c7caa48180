"""The trash: delete hides a document everywhere, restore brings it back within the retention, and the
periodic purge removes bytes and record together after it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from hub.access.principal import system_principal
from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.dispatch import NoDispatch
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.models import StoredDocument
from hub.documents.purge import PURGE_ACTOR, purge_trash
from hub.documents.trash import restore_document
from tests.conftest import Account
from tests.documents_helpers import (
    DELETE,
    LIST,
    NODE,
    RESTORE,
    add_version,
    codes,
    leaves_nothing,
    request_upload,
    unique_pdf,
)
from tests.graphql import gql, gql_field, payload, raw_id, upload

RETENTION = timedelta(days=30)


async def _document(http: httpx.AsyncClient, data: bytes | None = None) -> str:
    result = payload(await upload(http, region="31.74", data=data or unique_pdf(), name="foto.pdf"))
    document_id: str = result["document"]["id"]
    return document_id


async def _listed(http: httpx.AsyncClient, document_id: str, in_trash: bool = False) -> bool:
    found = await gql_field(http, LIST, {"filter": {"region": "31.74", "inTrash": in_trash}, "first": 100})
    ids = {node["id"] for node in found["nodes"]}
    while found["pageInfo"]["hasNextPage"]:
        found = await gql_field(
            http,
            LIST,
            {
                "filter": {"region": "31.74", "inTrash": in_trash},
                "first": 100,
                "after": found["pageInfo"]["endCursor"],
            },
        )
        ids |= {node["id"] for node in found["nodes"]}
    return document_id in ids


async def test_delete_hides_and_restore_brings_back(http: httpx.AsyncClient) -> None:
    document_id = await _document(http)
    before = await StoredDocument.get(raw_id(document_id))
    assert before is not None
    deleted = await gql_field(http, DELETE, {"id": document_id})
    assert deleted["errors"] == []
    document = deleted["document"]
    assert document["deletedAt"] is not None
    assert document["downloadUrl"] is None
    assert document["purgeAfter"] is not None
    assert (await gql(http, NODE, {"id": document_id}))["node"] is None
    assert not await _listed(http, document_id)
    assert await _listed(http, document_id, in_trash=True)
    stored = await StoredDocument.get(raw_id(document_id))
    # A new revision marked `needs_index`: the indexer drops it from search (a worker may have done so).
    assert stored is not None and stored.revision > before.revision

    retried = await gql_field(http, DELETE, {"id": document_id})  # a lost answer, sent again
    assert (retried["errors"], retried["document"]["id"]) == ([], document_id)

    restored = await gql_field(http, RESTORE, {"id": document_id})
    assert restored["errors"] == []
    assert (restored["document"]["deletedAt"], restored["document"]["purgeAfter"]) == (None, None)
    assert restored["document"]["downloadUrl"] is not None
    assert (await gql(http, NODE, {"id": document_id}))["node"]["id"] == document_id
    assert await _listed(http, document_id)
    again = await gql_field(http, RESTORE, {"id": document_id})  # a lost answer, sent again: the same result
    assert (again["errors"], again["document"]["id"], again["document"]["deletedAt"]) == (
        [],
        document_id,
        None,
    )
    actions = [
        entry.action
        for entry in await AuditEntry.find({"target": f"Document:{raw_id(document_id)}"}).to_list()
    ]
    assert actions == ["document.upload", "document.delete", "document.restore"]


async def test_the_same_file_cannot_be_uploaded_past_the_trash(
    http: httpx.AsyncClient, clients: Clients
) -> None:
    data = unique_pdf()
    document_id = await _document(http, data)
    await gql_field(http, DELETE, {"id": document_id})
    async with leaves_nothing(clients):
        multipart = payload(await upload(http, region="31.74", data=data, name="lagi.pdf"))
        presigned = await request_upload(http, data, name="lagi.pdf")
    assert codes(multipart) == codes(presigned) == [("DOCUMENT_IN_TRASH", "file")]
    assert raw_id(document_id) in multipart["errors"][0]["message"]


async def test_who_may_delete(
    http: httpx.AsyncClient,
    client_for: Callable[[str | None], httpx.AsyncClient],
    accounts: dict[str, Account],
) -> None:
    document_id = await _document(http)
    outcomes = {}
    for who in ("leader-31", "operator-11.01"):
        async with client_for(accounts[who].token) as client:
            outcomes[who] = codes(await gql_field(client, DELETE, {"id": document_id}))
    assert outcomes == {
        "leader-31": [("PERMISSION_DENIED", "id")],
        "operator-11.01": [("DOCUMENT_NOT_FOUND", "id")],
    }
    async with client_for(accounts["leader-31"].token) as leader:
        response = await leader.post(
            "/graphql", json={"query": LIST, "variables": {"filter": {"inTrash": True}}}
        )
    assert response.json()["errors"][0]["message"] == "only those who may restore documents see the trash"

    for who in ("coordinator-31", "operator-31.74"):  # the region's own operators and those above it
        async with client_for(accounts[who].token) as client:
            assert (await gql_field(client, DELETE, {"id": document_id}))["errors"] == []
            assert (await gql_field(client, RESTORE, {"id": document_id}))["errors"] == []


async def test_purge_removes_every_version_and_the_record(http: httpx.AsyncClient, clients: Clients) -> None:
    document_id = await _document(http)
    assert (await add_version(http, document_id, unique_pdf()))["errors"] == []
    await gql_field(http, DELETE, {"id": document_id})
    stored = await StoredDocument.get(raw_id(document_id))
    assert stored is not None and stored.deleted_at is not None
    keys = stored.object_keys
    assert len(keys) == 2

    await purge_trash(clients.store, retention=RETENTION, now=utcnow())
    assert await StoredDocument.get(raw_id(document_id)) is not None  # still restorable
    later = stored.deleted_at + RETENTION + timedelta(seconds=1)
    with pytest.raises(DocumentError) as too_late:
        await restore_document(
            system_principal("tests"),
            raw_id(document_id),
            dispatcher=NoDispatch(),
            retention=RETENTION,
            now=later,
        )
    assert too_late.value.code is DocumentErrorCode.TRASH_EXPIRED

    assert await purge_trash(clients.store, retention=RETENTION, now=later) >= 1
    assert await StoredDocument.get(raw_id(document_id)) is None
    for key in keys:
        assert not await clients.store.exists(key)
    assert await purge_trash(clients.store, retention=RETENTION, now=later) == 0  # safe to run twice
    entry = await AuditEntry.find_one(
        {"target": f"Document:{raw_id(document_id)}", "action": "document.purge"}
    )
    assert entry is not None and entry.actor == PURGE_ACTOR


async def test_purge_finishes_a_run_interrupted_after_the_bytes(
    http: httpx.AsyncClient, clients: Clients
) -> None:
    document_id = await _document(http)
    await gql_field(http, DELETE, {"id": document_id})
    stored = await StoredDocument.get(raw_id(document_id))
    assert stored is not None and stored.deleted_at is not None
    await clients.store.remove(stored.object_key)  # as if the last run stopped after removing the bytes
    later = stored.deleted_at + RETENTION + timedelta(seconds=1)
    assert await purge_trash(clients.store, retention=RETENTION, now=later) >= 1
    assert await StoredDocument.get(raw_id(document_id)) is None
