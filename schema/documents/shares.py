"""Share links of a document as the API shows them (hub.documents.shares): to their sharer and admins only."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from beanie import PydanticObjectId

from hub.core.ids import global_id
from hub.documents.shares import DocumentShare as DocumentShareModel
from hub.documents.shares import ShareAccess
from schema.access.actors import ACTOR_DESCRIPTION, actor
from schema.access.types import User
from schema.context import Info
from schema.fields import field

SHARE_PATH = "/share/"


@strawberry.type(description="One opening of a share link.")
class DocumentShareAccess:
    at: datetime = strawberry.field(description="When the link was opened.")
    address: str = strawberry.field(description="The client address it was opened from.")

    @classmethod
    def from_model(cls, access: ShareAccess) -> DocumentShareAccess:
        return cls(at=access.at, address=access.address)


@strawberry.type(
    description="An expiring, revocable link to one document for a named recipient outside the hub; every "
    "opening is logged. Seen by the one who shared it and by admins."
)
class DocumentShare:
    id: strawberry.ID = strawberry.field(description="Its global id, what `documentShareRevoke` takes.")
    recipient_name: str = strawberry.field(description="Who the link was made for.")
    recipient_email: str | None = strawberry.field(description="The recipient's e-mail address, if given.")
    created_at: datetime = strawberry.field(description="When the link was made.")
    expires_at: datetime = strawberry.field(description="When the link stops working.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked, if it was.")
    access_count: int = strawberry.field(description="How many times the link was opened.")
    accesses: list[DocumentShareAccess] = strawberry.field(
        description="Its openings, oldest first (the newest 500 are kept; `accessCount` counts them all)."
    )
    document_id: strawberry.Private[PydanticObjectId]
    created_by: strawberry.Private[str]
    revoked_by: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, share: DocumentShareModel) -> DocumentShare:
        return cls(
            id=strawberry.ID(global_id("DocumentShare", share.id)),
            recipient_name=share.recipient_name,
            recipient_email=share.recipient_email,
            created_at=share.created_at,
            expires_at=share.expires_at,
            revoked_at=share.revoked_at,
            access_count=share.access_count,
            accesses=[DocumentShareAccess.from_model(access) for access in share.accesses],
            document_id=share.document_id,
            created_by=share.created_by,
            revoked_by=share.revoked_by,
        )

    @field(description="Whether the link opens the document now: not expired, not revoked.")
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > datetime.now(UTC)

    @field(description=f"Who shared the document; {ACTOR_DESCRIPTION}")
    def shared_by(self, info: Info) -> User | None:
        return actor(info, self.created_by)  # type: ignore[return-value]  # or an awaitable of it

    @field(description=f"Who revoked the link, if anyone did; {ACTOR_DESCRIPTION}")
    def revoked_by_user(self, info: Info) -> User | None:
        return actor(info, self.revoked_by)  # type: ignore[return-value]  # or an awaitable of it
