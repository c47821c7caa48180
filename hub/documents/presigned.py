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

from beanie import SortDirection

from hub.access.principal import Principal
from hub.audit.service import record
from hub.core.clock import storable_time
from hub.documents.access import document_for_change
from hub.documents.checks import check_size, clean_name, parse_sha256, require_type, target_region
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.links import SignedForm, upload_form
from hub.documents.models import DocumentCategory, PendingUpload, StoredDocument, UploadStatus
from hub.documents.record import same_content
from hub.documents.sniff import ALLOWED
from hub.documents.versions import version_precheck
from hub.settings import Settings

STAGING_PREFIX = "staging/"


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


async def _earlier(uploader: str, client_mutation_id: str, now: datetime) -> PendingUpload | None:
    found = (
        await PendingUpload.find({"uploader": uploader, "client_mutation_id": client_mutation_id})
        .sort([("created_at", SortDirection.DESCENDING)])
        .limit(1)
        .to_list()
    )
    return found[0] if found and found[0].expires_at > now else None


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
) -> UploadTicket:
    """`declared_type` is the client's claim: refused early when it is not an accepted type, never trusted
    (the type recorded is sniffed from the bytes at confirmation)."""
    now = storable_time(now)
    uploader = principal.actor
    if client_mutation_id:
        earlier = await _earlier(uploader, client_mutation_id, now)
        if earlier is not None:
            return UploadTicket(upload=earlier, form=_form(settings, earlier, now))

    region = await target_region(principal, region_code)
    document = await document_for_change(principal, replaces, field="replaces") if replaces else None
    if document is not None and document.region_code != region.id:
        raise DocumentError(
            DocumentErrorCode.REGION_MISMATCH,
            f"the document to replace belongs to region {document.region_code}, not {region.id}",
            "region",
        )
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
        created_at=now,
        url_expires_at=url_expires_at,
        expires_at=url_expires_at + timedelta(seconds=settings.upload_confirm_grace_seconds),
    )
    await pending.insert()
    await record(
        uploader,
        "document.upload_request",
        f"DocumentUpload:{pending.id}",
        {
            "region": region.id,
            "category": category.value,
            "file_name": name,
            "size": size,
            "sha256": digest,
            "replaces": str(document.id) if document else None,
        },
    )
    return UploadTicket(upload=pending, form=_form(settings, pending, now))
