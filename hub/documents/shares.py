"""Share links: an expiring, revocable, logged link to one document for a named recipient.

Whoever may read a document (staff, never partner grants) may share it with someone outside the hub, until a
date no later than `PANTAU_SHARE_LINK_MAX_DAYS` away. The link carries a random token (256 bits) shown once;
only its SHA-256 is stored, looked up by that hash and compared in constant time. Opening the link
(hub.http.shares) streams the document's current file and appends the time and the client's address to the
share's access log, which its sharer and admins read. An expired, revoked or unknown token, and a link whose
document went to the trash, all answer the same: not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field
from pymongo import ASCENDING, IndexModel, ReturnDocument

from hub.access.credentials import new_token, same_hash, token_hash
from hub.access.principal import Principal
from hub.access.roles import Role
from hub.audit.linker import complete, complete_insert
from hub.audit.pending import Audited, attach_pending, pending_entry, push_pending
from hub.core.clock import storable_time
from hub.core.ids import object_id
from hub.documents.access import NOT_IN_TRASH, may_change, visible_document
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.models import StoredDocument
from hub.i18n import Text

TOKEN_PREFIX = "ps_"  # noqa: S105 - the prefix of share tokens, not a secret
# `new_token` gives 43 URL-safe characters (32 random bytes); anything else is refused before a lookup.
TOKEN_SHAPE = re.compile(r"^ps_[A-Za-z0-9_-]{43}$")
MAX_RECIPIENT_NAME = 200
MAX_RECIPIENT_EMAIL = 254
EMAIL_SHAPE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
ACCESS_LOG_LIMIT = 500  # the newest accesses kept on a share; `access_count` counts them all


class ShareAccess(BaseModel):
    at: datetime
    address: str


class DocumentShare(Audited, Document):
    """One link to one document. `region_path` is the document's, so that the audit trail scopes it."""

    document_id: PydanticObjectId
    region_path: list[str]
    recipient_name: str
    recipient_email: str | None = None
    token_hash: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    access_count: int = 0
    accesses: list[ShareAccess] = Field(default_factory=list, description="the newest, oldest first")

    class Settings:
        name = "document_shares"
        indexes = [
            IndexModel([("token_hash", ASCENDING)], unique=True, name="share_token_hash"),
            IndexModel([("document_id", ASCENDING), ("created_at", ASCENDING)]),
        ]

    def is_open(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


@dataclass(frozen=True)
class CreatedShare:
    share: DocumentShare
    token: str


def _invalid(message: Text, field: str) -> DocumentError:
    return DocumentError(DocumentErrorCode.INVALID_SHARE, message, field)


def _recipient(name: str, email: str | None) -> tuple[str, str | None]:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_RECIPIENT_NAME:
        raise _invalid(Text("documents.share_recipient_name", most=MAX_RECIPIENT_NAME), "recipientName")
    if email is None or not email.strip():
        return cleaned, None
    address = email.strip()
    if len(address) > MAX_RECIPIENT_EMAIL or not EMAIL_SHAPE.match(address):
        raise _invalid(Text("documents.share_recipient_email"), "recipientEmail")
    return cleaned, address


async def create_share(
    principal: Principal,
    document_id: str,
    *,
    recipient_name: str,
    recipient_email: str | None,
    expires_at: datetime,
    max_days: int,
    now: datetime,
) -> CreatedShare:
    """A link for a document the principal can see (DOCUMENT_NOT_FOUND otherwise); partners may not share."""
    now = storable_time(now)
    if principal.is_partner:
        raise DocumentError(DocumentErrorCode.PERMISSION_DENIED, Text("documents.share_partner"), "id")
    document = await visible_document(principal, document_id)
    name, email = _recipient(recipient_name, recipient_email)
    expires_at = storable_time(expires_at)
    if expires_at <= now:
        raise _invalid(Text("documents.share_expiry_past"), "expiresAt")
    if expires_at > now + timedelta(days=max_days):
        raise _invalid(Text("documents.share_expiry_too_far", days=max_days), "expiresAt")
    token = TOKEN_PREFIX + new_token()
    share = DocumentShare(
        document_id=document.id,
        region_path=list(document.region_path),
        recipient_name=name,
        recipient_email=email,
        token_hash=token_hash(token),
        created_by=principal.actor,
        created_at=now,
        expires_at=expires_at,
    )
    audit = attach_pending(
        share,
        principal.actor,
        "document.share_create",
        "DocumentShare",
        {"document": str(document.id), "recipient": name, "email": email, "expires_at": expires_at},
    )
    await share.insert()
    await complete_insert(share, audit)
    return CreatedShare(share, token)


def sees_share(principal: Principal, share: DocumentShare) -> bool:
    """The sharer and admins see a share and its access log."""
    return principal.role is Role.ADMIN or (not principal.is_partner and share.created_by == principal.actor)


async def shares_by_document(document_ids: list[str]) -> list[list[DocumentShare]]:
    """Every share of each document (oldest first), in one query; who sees which is `sees_share`'s call."""
    found: dict[str, list[DocumentShare]] = {value: [] for value in document_ids}
    wanted = [oid for oid in (object_id(value) for value in document_ids) if oid is not None]
    async for share in DocumentShare.find({"document_id": {"$in": wanted}}).sort("created_at"):
        found.setdefault(str(share.document_id), []).append(share)
    return [found[value] for value in document_ids]


def _share_not_found() -> DocumentError:
    return DocumentError(DocumentErrorCode.SHARE_NOT_FOUND, Text("documents.share_not_found"), "id")


async def revoke_share(principal: Principal, share_id: str, *, now: datetime) -> DocumentShare:
    """Ends a link at once. Its sharer, an admin, or whoever may change the document may; revoking again
    answers the revoked share and records nothing more."""
    now = storable_time(now)
    oid = object_id(share_id)
    share = await DocumentShare.get(oid) if oid is not None and not principal.is_partner else None
    if share is None:
        raise _share_not_found()
    document = await StoredDocument.get(share.document_id)
    if not sees_share(principal, share) and (document is None or not may_change(principal, document)):
        raise _share_not_found()
    if share.revoked_at is not None:
        return share
    audit = pending_entry(
        principal.actor,
        "document.share_revoke",
        f"DocumentShare:{share.id}",
        {"document": str(share.document_id)},
    )
    await DocumentShare.get_pymongo_collection().update_one(
        {"_id": share.id, "revoked_at": None},
        {"$set": {"revoked_at": now, "revoked_by": principal.actor}, "$push": push_pending(audit)},
    )
    await complete(DocumentShare, share.id, audit)
    revoked = await DocumentShare.get(share.id)
    if revoked is None:
        raise _share_not_found()
    return revoked


async def open_share(token: str, *, address: str, now: datetime) -> StoredDocument | None:
    """The document a link opens, with this access logged; None for any token that opens nothing (malformed,
    unknown, expired, revoked, or its document in the trash or purged), all alike."""
    now = storable_time(now)
    if not TOKEN_SHAPE.match(token):
        return None
    digest = token_hash(token)
    share = await DocumentShare.find_one({"token_hash": digest})
    if share is None or not same_hash(share.token_hash, digest) or not share.is_open(now):
        return None
    document = await StoredDocument.find_one({"$and": [{"_id": share.document_id}, NOT_IN_TRASH]})
    if document is None:
        return None
    # Logged only while the link is still open at this moment: a revoke racing this access wins.
    logged = await DocumentShare.get_pymongo_collection().find_one_and_update(
        {"_id": share.id, "revoked_at": None, "expires_at": {"$gt": now}},
        {
            "$inc": {"access_count": 1},
            "$push": {"accesses": {"$each": [{"at": now, "address": address}], "$slice": -ACCESS_LOG_LIMIT}},
        },
        return_document=ReturnDocument.AFTER,
    )
    return document if logged is not None else None
