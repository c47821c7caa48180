"""New versions of a document keep the old ones: multipart (documentVersionAdd) and presigned (`replaces`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx

from hub.access.grants import create_grant
from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentState, StoredDocument
from tests.conftest import Account
from tests.documents_helpers import (
    NODE,
    add_version,
    codes,
    leaves_nothing,
    presigned_upload,
    request_upload,
    sha256_of,
    unique_pdf,
    unique_text,
)
from tests.files import WINDOWS_EXECUTABLE
from tests.graphql import global_id, gql, gql_field, payload, raw_id, upload

DAY = timedelta(days=1)
DONE = frozenset({DocumentState.INDEXED, DocumentState.REJECTED})


async def _document(http: httpx.AsyncClient, data: bytes, region: str = "31.74", name: str = "sk.pdf") -> str:
    result = payload(await upload(http, region=region, data=data, name=name))
    assert result["errors"] == []
    document_id: str = result["document"]["id"]
    return document_id


async def _processed(document_id: str, worker_log: Path) -> StoredDocument:
    """The document once the worker is done with it (bounded polls): a first version still being extracted
    would be extracted again as the new version the moment that version is written, racing the answer."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        stored = await StoredDocument.get(raw_id(document_id))
        if stored is not None and stored.state in DONE:
            return stored
        await asyncio.sleep(0.2)
    log_tail = await asyncio.to_thread(lambda: worker_log.read_text()[-3000:])
    raise AssertionError(f"the worker did not process {document_id}; its log:\n{log_tail}")


async def test_new_version_keeps_the_old_one(http: httpx.AsyncClient, clients: Clients, worker: Path) -> None:
    first, second = unique_pdf("SK Tim Pemantauan"), unique_text("SK Tim Pemantauan (perubahan)")
    document_id = await _document(http, first, name="sk.pdf")
    before = await _processed(document_id, worker)

    added = await add_version(http, document_id, second, name="sk-perubahan.txt", category="MINUTES")
    assert added["errors"] == []
    assert added["created"] is True
    document = added["document"]
    assert document["id"] == document_id
    assert (document["version"], document["fileName"], document["sha256"], document["category"]) == (
        2,
        "sk-perubahan.txt",
        sha256_of(second),
        "MINUTES",
    )
    assert document["state"] == "STORED"  # extracted and indexed again
    [previous] = document["previousVersions"]
    assert (previous["version"], previous["fileName"], previous["sha256"]) == (1, "sk.pdf", sha256_of(first))

    stored = await StoredDocument.get(raw_id(document_id))
    assert stored is not None
    assert stored.revision > before.revision
    for key in stored.object_keys:
        assert await clients.store.exists(key)
    async with httpx.AsyncClient() as storage:
        old = await storage.get(previous["downloadUrl"])
    assert (old.status_code, old.content) == (200, first)
    entry = await AuditEntry.find_one({"target": f"Document:{stored.id}", "action": "document.version_add"})
    assert entry is not None and entry.change["version"] == 2

    # The same file again (a retry) changes nothing.
    again = await add_version(http, document_id, second, name="sk-perubahan.txt")
    assert (again["created"], again["document"]["version"], again["errors"]) == (False, 2, [])
    node = await gql_field(http, NODE, {"id": document_id})
    assert node["version"] == 2

    # Going back to the bytes of version 1 makes version 3.
    back = await add_version(http, document_id, first, name="sk.pdf")
    assert (back["created"], back["document"]["version"]) == (True, 3)
    assert [item["version"] for item in back["document"]["previousVersions"]] == [2, 1]


async def test_another_documents_bytes_are_refused(http: httpx.AsyncClient, clients: Clients) -> None:
    mine, theirs = unique_pdf(), unique_pdf()
    document_id = await _document(http, mine)
    await _document(http, theirs)
    async with leaves_nothing(clients):
        refused = await add_version(http, document_id, theirs)
    assert codes(refused) == [("DUPLICATE_CONTENT", "file")]


async def test_version_refusals_change_nothing(
    http: httpx.AsyncClient,
    clients: Clients,
    client_for: Callable[[str | None], httpx.AsyncClient],
    accounts: dict[str, Account],
) -> None:
    document_id = await _document(http, unique_pdf())
    async with leaves_nothing(clients):
        executable = await add_version(http, document_id, WINDOWS_EXECUTABLE, name="sk-baru.pdf")
        empty = await add_version(http, document_id, b"", name="kosong.pdf")
        traversal = await add_version(http, document_id, unique_pdf(), name="../sk.pdf")
        wrong_type = await add_version(http, global_id("Report", raw_id(document_id)), unique_pdf())
        async with client_for(accounts["leader-31"].token) as leader:
            read_only = await add_version(leader, document_id, unique_pdf())
        async with client_for(accounts["operator-11.01"].token) as aceh:
            elsewhere = await add_version(aceh, document_id, unique_pdf())
    assert codes(executable) == [("UNSUPPORTED_TYPE", "file")]
    assert codes(empty) == [("EMPTY_FILE", "file")]
    assert codes(traversal) == [("INVALID_FILE_NAME", "file")]
    assert codes(wrong_type) == [("DOCUMENT_NOT_FOUND", "id")]
    assert codes(read_only) == [("PERMISSION_DENIED", "id")]
    assert codes(elsewhere) == [("DOCUMENT_NOT_FOUND", "id")]
    stored = await StoredDocument.get(raw_id(document_id))
    assert stored is not None and stored.version == 1


async def test_presigned_upload_can_replace_a_document(http: httpx.AsyncClient, clients: Clients) -> None:
    document_id = await _document(http, unique_pdf("Notulen"), name="notulen.pdf")
    newer = unique_pdf("Notulen (revisi)")
    confirmed = await presigned_upload(http, newer, name="notulen-revisi.pdf", replaces=document_id)
    assert confirmed["errors"] == []
    assert (confirmed["created"], confirmed["document"]["id"], confirmed["document"]["version"]) == (
        True,
        document_id,
        2,
    )
    same = await request_upload(http, newer, name="notulen-revisi.pdf", replaces=document_id)
    assert (same["upload"], same["document"]["id"]) == (None, document_id)  # nothing to upload

    async with leaves_nothing(clients):
        elsewhere = await request_upload(http, unique_pdf(), region="11.01", replaces=document_id)
    assert codes(elsewhere) == [("REGION_MISMATCH", "region")]


async def test_partners_get_links_to_earlier_versions_only_with_the_download_grant(
    http: httpx.AsyncClient, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    document_id = await _document(http, unique_pdf())
    assert (await add_version(http, document_id, unique_pdf()))["errors"] == []
    query = "query($id: ID!) { node(id: $id) { ... on Document { previousVersions { downloadUrl } } } }"
    links = {}
    for fields in (["Document.previousVersions"], ["Document.previousVersions", "Document.downloadUrl"]):
        grant = await create_grant(
            actor="user:admin", agency="DKPP", region_roots=["31"], fields=fields, expires_at=utcnow() + DAY
        )
        async with client_for(grant.token) as partner:
            [version] = (await gql(partner, query, {"id": document_id}))["node"]["previousVersions"]
        links[len(fields)] = version["downloadUrl"]
    assert links[1] is None
    assert links[2] is not None
