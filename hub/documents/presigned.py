"""Presigned uploads, step one: the client declares the file (name, size, SHA-256) and gets a POST form to
send the bytes straight to object storage, under a server-generated staging key. The form's policy binds the
key and the exact declared size, so the store itself refuses anything else (hub.storage.UrlSigner).

Everything that can be checked before the bytes move is checked here, with the same rules as a multipart
upload (scope and role, cleaned name, size cap). When the region already holds the declared bytes, the
existing document is returned and nothing needs uploading. Step two is hub.documents.confirm.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.access.principal import Principal
from hub.audit.linker import complete_insert
from hub.audit.pending import attach_pending
from hub.core.clock import storable_time
from hub.core.idempotency import KEY_FIELD, earlier, insert_once, random_key, request_key
from hub.documents.access import document_for_change
from hub.documents.checks import check_size, clean_name, parse_sha256, require_type, target_region
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.links import SignedForm, upload_form
from hub.documents.metadata import RecordInput, check_record
from hub.documents.models import DocumentCategory, PendingUpload, StoredDocument, UploadStatus
from hub.documents.record import same_content
from hub.documents.sniff import ALLOWED
from hub.documents.versions import version_precheck
from hub.i18n import Text
from hub.settings import Settings

STAGING_PREFIX = "staging/"
DOCUMENT_UPLOAD_REQUEST = "document.upload_request"  # the kind of creation its idempotency keys name


@dataclass(frozen=True)
class UploadTicket:
    """Either an upload to POST and confirm, or the document that already holds these bytes."""

    upload: PendingUpload | None = None
    form: SignedForm | None = None
    existing: StoredDocument | None = None


def staging_key() -> str:
    return f"{STAGING_PREFIX}{uuid.uuid4().hex}"


def _form(settings: Settings, pending: PendingUpload, now: datetime) -> SignedForm | None:
    """A POST form valid until the upload's own URL expiry (a retried request gets no extra time)."""
    if pending.url_expires_at - now < timedelta(seconds=1) or pending.status is not UploadStatus.PENDING:
        return None
    return upload_form(settings, pending.staging_key, pending.size, pending.url_expires_at)


async def _earlier(key: str | None, now: datetime) -> PendingUpload | None:
    """The upload an earlier attempt of the same request created, while it lasts. An expired one gives its key
    up (the purge removes it), so that the request may be made anew."""
    found = await earlier(PendingUpload, key)
    if found is None or found.expires_at > now:
        return found
    await PendingUpload.get_pymongo_collection().update_one(
        {"_id": found.id, KEY_FIELD: key}, {"$set": {KEY_FIELD: random_key()}}
    )
    return None


def _replayed(
    settings: Settings, principal: Principal, pending: PendingUpload, now: datetime
) -> UploadTicket:
    """An earlier attempt's upload, as long as the principal, as it is now, may still add documents there."""
    if not principal.can_upload_to(pending.region_path):
        raise DocumentError(
            DocumentErrorCode.UPLOAD_NOT_FOUND,
            Text("documents.retry_not_visible"),
            "clientMutationId",
        )
    return UploadTicket(upload=pending, form=_form(settings, pending, now))


async def request_upload(
    *,
    settings: Settings,
    principal: Principal,
    region_code: str,
    category: DocumentCategory,
    file_name: str,
    size: int,
    sha256: str,
    declared_type: str | None = None,
    replaces: str | None = None,
    client_mutation_id: str | None = None,
    now: datetime,
    record: RecordInput | None = None,
) -> UploadTicket:
    """`declared_type` is the client's claim: refused early when it is not an accepted type, never trusted
    (the type recorded is sniffed from the bytes at confirmation)."""
    now = storable_time(now)
    uploader = principal.actor
    key = request_key(DOCUMENT_UPLOAD_REQUEST, uploader, client_mutation_id)
    first = await _earlier(key, now)
    if first is not None:
        return _replayed(settings, principal, first, now)

    region = await target_region(principal, region_code)
    document = await document_for_change(principal, replaces, field="replaces") if replaces else None
    if document is not None and document.region_code != region.id:
        raise DocumentError(
            DocumentErrorCode.REGION_MISMATCH,
            Text("documents.region_mismatch", region_code=document.region_code, target_region=region.id),
            "region",
        )
    given = record or RecordInput({})
    if document is not None and given.given:
        raise DocumentError(
            DocumentErrorCode.INVALID_METADATA,
            "a new version keeps its document's record: change it with documentUpdate",
            "record",
        )
    values = await check_record(principal, region_code=region.id, category=category, current={}, given=given)
    if declared_type is not None and declared_type.split(";")[0].strip().lower() not in ALLOWED:
        require_type(None, "contentType")
    name = clean_name(file_name, "fileName")
    check_size(size, settings.max_upload_bytes, "size")
    digest = parse_sha256(sha256)
    existing = await (version_precheck(document, digest) if document else same_content(region.id, digest))
    if existing is not None:
        return UploadTicket(existing=existing)

    url_expires_at = now + timedelta(seconds=settings.upload_url_ttl_seconds)
    pending = PendingUpload(
        staging_key=staging_key(),
        region_code=region.id,
        region_path=region.subtree_codes,
        category=category,
        file_name=name,
        size=size,
        sha256=digest,
        uploader=uploader,
        client_mutation_id=client_mutation_id,
        replaces=document.id if document else None,
        record=values if document is None else {},
        created_at=now,
        url_expires_at=url_expires_at,
        expires_at=url_expires_at + timedelta(seconds=settings.upload_confirm_grace_seconds),
    )
    audit = attach_pending(
        pending,
        uploader,
        "document.upload_request",
        "DocumentUpload",
        {
            "region": region.id,
            "category": category.value,
            "file_name": name,
            "size": size,
            "sha256": digest,
            "replaces": str(document.id) if document else None,
        },
    )
    winner = await insert_once(pending, key)
    if winner is not None:  # the same request, retried at the same moment, was inserted first
        return _replayed(settings, principal, winner, now)
    await complete_insert(pending, audit)
    return UploadTicket(upload=pending, form=_form(settings, pending, now))
