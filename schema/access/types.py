from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.access.directory import visible_grants, visible_users
from hub.access.errors import AccessErrorCode as AccessErrorCodeModel
from hub.access.models import PartnerGrant as PartnerGrantModel
from hub.access.models import PartnerRead as PartnerReadModel
from hub.access.models import User as UserModel
from hub.access.principal import PrincipalKind
from hub.access.roles import Role as RoleModel
from schema.context import Info
from schema.fields import field
from schema.regions.types import Region

strawberry.enum(RoleModel, name="Role")
strawberry.enum(AccessErrorCodeModel, name="AccessErrorCode")
Role: TypeAlias = RoleModel
AccessErrorCode: TypeAlias = AccessErrorCodeModel


@strawberry.type(description="Why an access mutation did nothing.")
class AccessError:
    field: str | None
    message: str
    code: AccessErrorCode
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="LOGIN_THROTTLED: seconds to wait before the next login attempt."
    )


@strawberry.type(description="A staff account.")
class User(relay.Node):
    user_id: relay.NodeID[str]
    username: str
    full_name: str | None
    role: Role
    agency: str | None
    active: bool
    created_at: datetime
    region_code: strawberry.Private[str]
    email_address: strawberry.Private[str | None] = None

    @classmethod
    def from_model(cls, user: UserModel) -> User:
        return cls(
            user_id=str(user.id),
            username=user.username,
            full_name=user.full_name,
            role=user.role,
            agency=user.agency,
            active=user.active,
            created_at=user.created_at,
            region_code=user.region_code,
            email_address=user.email,
        )

    @field(description="Where reminders are e-mailed; shown to admins and to the user alone.")
    def email(self, info: Info) -> str | None:
        principal = info.context.principal
        if principal.is_admin or (principal.kind is PrincipalKind.USER and principal.id == self.user_id):
            return self.email_address
        return None

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await visible_users(info.context.principal, list(node_ids))
        return [cls.from_model(user) if user else None for user in found]

    @field(description="The home region: what the account works on.")
    async def region(self, info: Info) -> Region:
        region = await info.context.loaders.region.load(self.region_code)
        if region is None:
            raise LookupError(f"region {self.region_code} of user {self.username} is missing")
        return Region.from_model(region)


@strawberry.type
class UserEdge:
    cursor: str
    node: User


@strawberry.type(description="A page of users.")
class UserConnection:
    page_info: relay.PageInfo
    edges: list[UserEdge]
    total_count: int

    @strawberry.field
    def nodes(self) -> list[User]:
        return [edge.node for edge in self.edges]


@strawberry.type(
    description="Where a partner grant's events are POSTed. The signing secret is never shown again."
)
class PartnerGrantWebhook:
    url: str
    set_by: str
    set_at: datetime


@strawberry.type(description="Read-only, scoped, expiring access for a partner agency.")
class PartnerGrant(relay.Node):
    grant_id: relay.NodeID[str]
    agency: str
    description: str | None
    region_codes: list[str]
    report_types: list[str]
    fields: list[str] = strawberry.field(description="`Type.field` names the partner may read.")
    expires_at: datetime
    revoked_at: datetime | None
    created_by: str
    created_at: datetime
    webhook: PartnerGrantWebhook | None = strawberry.field(
        description="Where its events are POSTed (webhookDeliveries has the log); null: nowhere."
    )

    @classmethod
    def from_model(cls, grant: PartnerGrantModel) -> PartnerGrant:
        return cls(
            grant_id=str(grant.id),
            agency=grant.agency,
            description=grant.description,
            region_codes=grant.region_roots,
            report_types=grant.report_types,
            fields=grant.fields,
            expires_at=grant.expires_at,
            revoked_at=grant.revoked_at,
            created_by=grant.created_by,
            created_at=grant.created_at,
            webhook=PartnerGrantWebhook(
                url=grant.webhook.url, set_by=grant.webhook.set_by, set_at=grant.webhook.set_at
            )
            if grant.webhook
            else None,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await visible_grants(info.context.principal, list(node_ids))
        return [cls.from_model(grant) if grant else None for grant in found]


@strawberry.type(description="One read made through a partner grant.")
class PartnerRead:
    agency: str
    at: datetime
    operation_name: str | None
    query: str = strawberry.field(
        description="The operation that ran, normalized (no comments, only the executed operation and its "
        "fragments); overlong string literals and names are shortened with `…`."
    )
    query_sha256: str | None = strawberry.field(description="SHA-256 of the whole normalized operation.")
    object_ids: list[strawberry.ID] = strawberry.field(
        description="Global ids of every object the operation read, however the response named them."
    )
    fields: list[str] = strawberry.field(description="The record fields asked for, as `Type.field`.")

    @classmethod
    def from_model(cls, read: PartnerReadModel) -> PartnerRead:
        return cls(
            agency=read.agency,
            at=read.at,
            operation_name=read.operation_name,
            query=read.query,
            query_sha256=read.query_sha256,
            object_ids=[strawberry.ID(value) for value in read.object_ids],
            fields=list(read.fields),
        )


@strawberry.type(description="Who is asking, and what they may do.")
class Viewer:
    kind: str = strawberry.field(description="`user` or `partner`.")
    name: str
    role: Role | None
    agency: str | None
    region_code: strawberry.Private[str | None]
    can_manage_users: bool = strawberry.field(name="viewerCanManageUsers")
    can_manage_partner_grants: bool = strawberry.field(name="viewerCanManagePartnerGrants")

    @field(description="The home region; null for partners and national accounts' peers.")
    async def region(self, info: Info) -> Region | None:
        if self.region_code is None:
            return None
        region = await info.context.loaders.region.load(self.region_code)
        return Region.from_model(region) if region else None
