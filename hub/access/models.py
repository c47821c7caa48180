from __future__ import annotations

from datetime import datetime

from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from hub.access.roles import Role
from hub.audit.pending import Audited
from hub.core.clock import utcnow


class User(Audited, Document):
    username: str
    password_hash: str
    role: Role
    region_code: str
    region_path: list[str] = Field(description="the home region's ancestors and itself, root first")
    agency: str | None = None
    full_name: str | None = None
    email: str | None = Field(default=None, description="where reminders are e-mailed; none: in-app only")
    email_delivery: str = Field(
        default="reminders",
        description="which notifications are also e-mailed: hub.notifications.models.EmailDelivery's values",
    )
    active: bool = True
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "users"
        indexes = [
            IndexModel([("username", ASCENDING)], unique=True),
            IndexModel([("region_path", ASCENDING)]),
        ]


class Session(Audited, Document):
    """One login: the family of its rotating refresh tokens. Access tokens name it: revoking it ends both."""

    user_id: PydanticObjectId
    current_token_hash: str
    previous_token_hashes: list[str] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_reason: str | None = None

    class Settings:
        name = "sessions"
        indexes = [IndexModel([("user_id", ASCENDING)])]


class GrantWebhook(BaseModel):
    """Where a grant's events are POSTed. The signing secret is not stored: it is derived from `secret_nonce`
    and the hub's webhook key (hub.webhooks.secrets); `key_fingerprint` tells when that key has changed."""

    url: str
    secret_nonce: str
    key_fingerprint: str
    set_by: str
    set_at: datetime


class PartnerGrant(Audited, Document):
    agency: str
    description: str | None = None
    token_hash: str
    region_roots: list[str]
    report_types: list[str] = Field(default_factory=list, description="empty: every type")
    fields: list[str] = Field(description="`Type.field` names the partner may read")
    expires_at: datetime
    revoked_at: datetime | None = None
    created_by: str
    created_at: datetime = Field(default_factory=utcnow)
    webhook: GrantWebhook | None = None

    class Settings:
        name = "partner_grants"
        indexes = [IndexModel([("agency", ASCENDING)])]


class PartnerRead(Document):
    """One read made through a partner grant: who, which operation, which objects, when."""

    grant_id: PydanticObjectId
    agency: str
    at: datetime = Field(default_factory=utcnow)
    operation_name: str | None = None
    query: str = Field(description="the operation that ran, normalized; long literals and names shortened")
    query_sha256: str | None = Field(default=None, description="of the whole normalized operation")
    variables: dict[str, object] = Field(
        default_factory=dict, description="those the operation declares, each and all bounded"
    )
    object_ids: list[str] = Field(default_factory=list, description="global ids of every object read")
    fields: list[str] = Field(default_factory=list, description="the record fields asked for (`Type.field`)")

    class Settings:
        name = "partner_reads"
        indexes = [IndexModel([("grant_id", ASCENDING), ("at", DESCENDING)])]
