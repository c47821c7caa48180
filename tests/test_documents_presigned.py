"""Presigned uploads: request → POST straight to MinIO with the signed form → confirm, with real MinIO and
MongoDB. The form binds the key and the exact declared size at the store."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from beanie import PydanticObjectId

from hub.access.principal import Principal, PrincipalKind, system_principal
from hub.access.roles import Role
from hub.access.scope import Scope
from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.dispatch import NoDispatch
from hub.documents.confirm import confirm_upload
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.models import PendingUpload, StoredDocument, UploadStatus
from hub.documents.presigned import STAGING_PREFIX
from hub.documents.purge import purge_documents
from tests.conftest import TEST_MAX_UPLOAD_BYTES, Account
from tests.documents_helpers import (
    confirm,
    docx_bytes,
    leaves_nothing,
    post_file,
    presigned_upload,
    request_upload,
    sha256_of,
    snapshot,
    unique_pdf,
    unique_text,
)
from tests.files import WINDOWS_EXECUTABLE
from tests.graphql import payload, raw_id, upload


async def test_presigned_upload_is_checked_and_recorded(http: httpx.AsyncClient, clients: Clients) -> None:
    data = unique_pdf("Naskah Perjanjian Hibah Daerah")
    requested = await request_upload(http, data, name="NPHD 2026.pdf", category="NPHD")
    assert requested["errors"] == []
    upload_ = requested["upload"]
    assert (upload_["fileName"], upload_["size"], upload_["status"]) == (
        "NPHD 2026.pdf",
        len(data),
        "PENDING",
    )
    form = requested["uploadForm"]
    assert form["url"] == f"http://{clients.settings.minio_endpoint}/{clients.settings.minio_bucket}"
    assert form["expiresAt"] == requested["expiresAt"] == upload_["urlExpiresAt"]
    pending = await PendingUpload.get(raw_id(upload_["id"]))
    assert pending is not None
    assert pending.staging_key.startswith(STAGING_PREFIX)
    assert "NPHD" not in pending.staging_key  # the key is generated, never the user's name

    assert (await post_file(requested["uploadForm"], data)).status_code == 204
    confirmed = await confirm(http, upload_["id"])
    assert confirmed["errors"] == []
    assert confirmed["created"] is True
    document = confirmed["document"]
    assert (document["contentType"], document["size"], document["sha256"]) == (
        "application/pdf",
        len(data),
        sha256_of(data),
    )
    assert (document["fileName"], document["category"], document["version"]) == ("NPHD 2026.pdf", "NPHD", 1)
    stored = await StoredDocument.get(raw_id(document["id"]))
    assert stored is not None
    assert await clients.store.exists(stored.object_key)
    assert not await clients.store.exists(pending.staging_key)
    info = await clients.store.stat(stored.object_key)
    assert info is not None and info.size == len(data)

    # A retried confirmation (the answer was lost on the way) returns the same document.
    again = await confirm(http, upload_["id"])
    assert (again["created"], again["document"]["id"], again["errors"]) == (False, document["id"], [])
    entries = await AuditEntry.find({"target": f"Document:{stored.id}"}).to_list()
    assert [(entry.action, entry.change.get("via")) for entry in entries] == [
        ("document.upload", "presigned")
    ]
    requested_entry = await AuditEntry.find_one({"target": f"DocumentUpload:{pending.id}"})
    assert requested_entry is not None and requested_entry.action == "document.upload_request"


async def test_zip_based_types_are_sniffed_from_ranges(http: httpx.AsyncClient) -> None:
    data = docx_bytes(f"Surat Keputusan {unique_text().decode()}")
    confirmed = await presigned_upload(http, data, name="sk.docx", category="DECREE")
    assert confirmed["errors"] == []
    assert confirmed["document"]["contentType"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


async def test_same_file_is_stored_once_whichever_way_it_came(
    http: httpx.AsyncClient, clients: Clients
) -> None:
    data = unique_pdf("Berita acara")
    first = payload(await upload(http, region="31.74", data=data, name="ba.pdf"))
    # Declared bytes the region already holds: nothing to upload.
    requested = await request_upload(http, data, name="ba (salinan).pdf")
    assert (requested["upload"], requested["uploadForm"]) == (None, None)
    assert requested["document"]["id"] == first["document"]["id"]

    # Two uploads of the same new file, both PUT before either is confirmed: one document.
    other = unique_pdf("Notulen")
    one = await request_upload(http, other, name="satu.pdf")
    two = await request_upload(http, other, name="dua.pdf")
    for requested in (one, two):
        assert (await post_file(requested["uploadForm"], other)).status_code == 204
    made = await confirm(http, one["upload"]["id"])
    deduped = await confirm(http, two["upload"]["id"])
    assert (made["created"], deduped["created"]) == (True, False)
    assert deduped["document"]["id"] == made["document"]["id"]
    for requested in (one, two):
        pending = await PendingUpload.get(raw_id(requested["upload"]["id"]))
        assert pending is not None
        assert not await clients.store.exists(pending.staging_key)
    assert await StoredDocument.find({"sha256": sha256_of(other)}).count() == 1


async def test_retried_request_returns_the_same_upload(http: httpx.AsyncClient) -> None:
    data = unique_pdf()
    first = await request_upload(http, data, clientMutationId="phone-7")
    retry = await request_upload(http, data, clientMutationId="phone-7")
    assert retry["upload"]["id"] == first["upload"]["id"]
    assert retry["clientMutationId"] == "phone-7"
    assert (await post_file(retry["uploadForm"], data)).status_code == 204
    assert (await confirm(http, first["upload"]["id"]))["created"] is True


async def test_confirm_before_the_put_keeps_the_upload(http: httpx.AsyncClient) -> None:
    data = unique_pdf()
    requested = await request_upload(http, data)
    early = await confirm(http, requested["upload"]["id"])
    assert [error["code"] for error in early["errors"]] == ["FILE_NOT_UPLOADED"]
    assert (await post_file(requested["uploadForm"], data)).status_code == 204
    assert (await confirm(http, requested["upload"]["id"]))["created"] is True


@pytest.mark.parametrize(
    ("given", "code", "field"),
    [
        ({"size": TEST_MAX_UPLOAD_BYTES + 1}, "FILE_TOO_LARGE", "size"),
        ({"size": 0}, "EMPTY_FILE", "size"),
        ({"name": "../../etc/passwd"}, "INVALID_FILE_NAME", "fileName"),
        ({"name": "laporan.pdf%00.exe"}, "INVALID_FILE_NAME", "fileName"),
        ({"sha256": "not-a-hash"}, "INVALID_SHA256", "sha256"),
        ({"contentType": "application/x-msdownload"}, "UNSUPPORTED_TYPE", "contentType"),
        ({"region": "99.99"}, "REGION_NOT_FOUND", "region"),
    ],
)
async def test_refused_requests_leave_nothing(
    http: httpx.AsyncClient, clients: Clients, given: dict[str, object], code: str, field: str
) -> None:
    async with leaves_nothing(clients):
        result = await request_upload(http, unique_pdf(), **given)  # type: ignore[arg-type]
    assert (result["upload"], result["uploadForm"]) == (None, None)
    assert [(error["code"], error["field"]) for error in result["errors"]] == [(code, field)]


async def test_region_outside_the_uploaders_scope_is_refused(
    client_for: Callable[[str | None], httpx.AsyncClient], accounts: dict[str, Account], clients: Clients
) -> None:
    async with client_for(accounts["operator-11.01"].token) as aceh, leaves_nothing(clients):
        result = await request_upload(aceh, unique_pdf(), region="31.74")
    assert [(error["code"], error["field"]) for error in result["errors"]] == [
        ("PERMISSION_DENIED", "region")
    ]


async def _refused_confirm(
    http: httpx.AsyncClient, clients: Clients, declared: bytes, sent: bytes
) -> list[str]:
    """Request for `declared`, PUT `sent`, confirm: the refusal's codes, after checking nothing is left."""
    async with leaves_nothing(clients):
        requested = await request_upload(http, declared, name="laporan.pdf")
        assert (await post_file(requested["uploadForm"], sent)).status_code == 204
        result = await confirm(http, requested["upload"]["id"])
        assert result["document"] is None
    return [error["code"] for error in result["errors"]]


async def test_confirm_refuses_a_different_hash(http: httpx.AsyncClient, clients: Clients) -> None:
    declared = unique_pdf()
    tampered = declared[:-20] + b"%" * 20
    assert await _refused_confirm(http, clients, declared, tampered) == ["HASH_MISMATCH"]


@pytest.mark.parametrize("sent", ["larger", "much-larger", "smaller", "empty"])
async def test_the_store_refuses_another_size_than_declared(
    http: httpx.AsyncClient, clients: Clients, sent: str
) -> None:
    declared = unique_text()  # a few dozen bytes, like a 642-byte ticket
    body = {
        "larger": declared + b"x",
        "much-larger": declared + b"x" * (2 * TEST_MAX_UPLOAD_BYTES),
        "smaller": declared[:-1],
        "empty": b"",
    }[sent]
    requested = await request_upload(http, declared, name="notulen.txt")
    pending = await PendingUpload.get(raw_id(requested["upload"]["id"]))
    assert pending is not None
    refused = await post_file(requested["uploadForm"], body)
    assert refused.status_code == 400
    assert ("EntityTooSmall" if len(body) < len(declared) else "EntityTooLarge") in refused.text
    assert not await clients.store.exists(pending.staging_key)
    early = await confirm(http, requested["upload"]["id"])
    assert [error["code"] for error in early["errors"]] == ["FILE_NOT_UPLOADED"]
    # The declared file still goes through the same form.
    assert (await post_file(requested["uploadForm"], declared)).status_code == 204
    assert (await confirm(http, requested["upload"]["id"]))["created"] is True


async def test_a_form_used_again_after_confirm_leaves_nothing_after_the_purge(
    http: httpx.AsyncClient, clients: Clients
) -> None:
    data = unique_pdf()
    requested = await request_upload(http, data)
    assert (await post_file(requested["uploadForm"], data)).status_code == 204
    assert (await confirm(http, requested["upload"]["id"]))["created"] is True
    pending = await PendingUpload.get(raw_id(requested["upload"]["id"]))
    assert pending is not None and pending.status is UploadStatus.CONFIRMED
    # Object storage cannot revoke the signed form: until it expires it takes the declared size again ...
    assert (await post_file(requested["uploadForm"], data + b"x")).status_code == 400
    assert (await post_file(requested["uploadForm"], data)).status_code == 204
    assert await clients.store.exists(pending.staging_key)
    # ... and the next purge removes it, however fresh, while the receipt stays for retried confirmations.
    purged = await purge_documents(clients.store, clients.settings, utcnow())
    assert purged.staging_objects == 1
    assert not await clients.store.exists(pending.staging_key)
    again = await confirm(http, requested["upload"]["id"])
    assert (again["created"], again["errors"]) == (False, [])


async def test_confirm_refuses_an_executable_named_pdf(http: httpx.AsyncClient, clients: Clients) -> None:
    executable = WINDOWS_EXECUTABLE + unique_text().replace(b"\n", b"")
    assert await _refused_confirm(http, clients, executable, executable) == ["UNSUPPORTED_TYPE"]


async def test_expired_upload_is_refused_and_removed(http: httpx.AsyncClient, clients: Clients) -> None:
    data = unique_pdf()
    async with leaves_nothing(clients):
        requested = await request_upload(http, data)
        assert (await post_file(requested["uploadForm"], data)).status_code == 204
        pending = await PendingUpload.get(raw_id(requested["upload"]["id"]))
        assert pending is not None
        with pytest.raises(DocumentError) as refused:
            await confirm_upload(
                store=clients.store,
                dispatcher=NoDispatch(),
                settings=clients.settings,
                principal=system_principal("tests"),
                upload_id=str(pending.id),
                now=pending.expires_at + timedelta(seconds=1),
            )
        assert refused.value.code is DocumentErrorCode.UPLOAD_NOT_FOUND  # only the requester may confirm
        with pytest.raises(DocumentError) as expired:
            await confirm_upload(
                store=clients.store,
                dispatcher=NoDispatch(),
                settings=clients.settings,
                principal=_admin(),
                upload_id=str(pending.id),
                now=pending.expires_at + timedelta(seconds=1),
            )
        assert expired.value.code is DocumentErrorCode.UPLOAD_EXPIRED
    after = await confirm(http, requested["upload"]["id"])
    assert [error["code"] for error in after["errors"]] == ["UPLOAD_NOT_FOUND"]


def _admin() -> Principal:
    """The principal of the `http` fixture's admin, as the domain sees it."""
    return Principal(
        kind=PrincipalKind.USER, id="admin", name="admin", scope=Scope.everything(), role=Role.ADMIN
    )


async def test_someone_elses_upload_cannot_be_confirmed(
    http: httpx.AsyncClient,
    client_for: Callable[[str | None], httpx.AsyncClient],
    accounts: dict[str, Account],
) -> None:
    data = unique_pdf()
    requested = await request_upload(http, data)
    assert (await post_file(requested["uploadForm"], data)).status_code == 204
    async with client_for(accounts["coordinator-31"].token) as coordinator:
        stolen = await confirm(coordinator, requested["upload"]["id"])
    assert [error["code"] for error in stolen["errors"]] == ["UPLOAD_NOT_FOUND"]
    assert (await confirm(http, requested["upload"]["id"]))["created"] is True


async def test_purge_removes_expired_uploads_and_stray_staging_objects(
    http: httpx.AsyncClient, clients: Clients
) -> None:
    # A clean slate: earlier tests' confirmed uploads are kept as receipts until they expire.
    await purge_documents(clients.store, clients.settings, utcnow() + timedelta(days=1))
    before = await snapshot(clients)
    data = unique_pdf()
    requested = await request_upload(http, data)
    assert (await post_file(requested["uploadForm"], data)).status_code == 204
    stray = f"{STAGING_PREFIX}stray-{raw_id(requested['upload']['id'])}"
    await clients.store.put(stray, io.BytesIO(b"x"), 1, "application/octet-stream")
    now = utcnow()
    kept = await purge_documents(clients.store, clients.settings, now)  # nothing has expired yet
    assert (kept.uploads, kept.staging_objects) == (0, 0)
    assert await snapshot(clients) != before

    later = now + timedelta(days=1)
    purged = await purge_documents(clients.store, clients.settings, later)
    assert (purged.uploads, purged.staging_objects) == (1, 1)
    assert await snapshot(clients) == before
    again = await purge_documents(clients.store, clients.settings, later)
    assert (again.uploads, again.staging_objects) == (0, 0)


async def test_confirmed_upload_receipt_is_purged_and_the_document_stays(
    http: httpx.AsyncClient, clients: Clients
) -> None:
    confirmed = await presigned_upload(http, unique_pdf())
    document_id = PydanticObjectId(raw_id(confirmed["document"]["id"]))
    receipt = await PendingUpload.find_one({"document_id": document_id})
    assert receipt is not None
    assert receipt.status is UploadStatus.CONFIRMED
    await purge_documents(clients.store, clients.settings, receipt.expires_at + timedelta(seconds=1))
    assert await PendingUpload.get(receipt.id) is None
    assert await StoredDocument.get(document_id) is not None
