from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.access.directory import visible_users
from hub.access.errors import AccessErrorCode as AccessErrorCodeModel
from hub.access.models import User as UserModel
from hub.access.principal import PrincipalKind
from hub.access.roles import Role as RoleModel
from schema.access.viewer_grant import ViewerGrant
from schema.connection import CURSOR, PAGE_INFO
from schema.context import Info
from schema.describe import ERROR_CODE, ERROR_FIELD, ERROR_MESSAGE, enum_type, error_codes
from schema.fields import field
from schema.regions.types import Region

enum_type(
    RoleModel,
    name="Role",
    description="What a staff account may do, within its region's subtree (or nationally).",
    values={
        "OPERATOR": "A Kesbangpol operator: drafts and submits the reports of its own region, uploads "
        "supporting documents, follows up cases.",
        "COORDINATOR": "A coordinator: submits for its region and reviews the regions directly under it "
        "(a province's coordinator reviews its regencies and cities).",
        "REVIEWER": "A central reviewer (Direktorat Politik Dalam Negeri): reviews provinces and evaluates "
        "every report, nationally.",
        "LEADER": "A leader: reads everything under its region, dashboards included; changes nothing.",
        "ADMIN": "An administrator: manages accounts and partner grants; sees everything.",
    },
)
error_codes(
    AccessErrorCodeModel,
    name="AccessErrorCode",
    noun="session, account or partner grant",
    values={
        "UNAUTHENTICATED": "Sign in first.",
        "INVALID_CREDENTIALS": "The username and password do not match an active account.",
        "INVALID_TOKEN": "The token is not one of this hub's, or its session ended.",
        "TOKEN_EXPIRED": "The token expired: sign in again (or refresh, for an access token).",
        "TOKEN_REUSED": "This refresh token was already used: the session is revoked, sign in again.",
        "PERMISSION_DENIED": "Your role may not do this.",
        "USERNAME_TAKEN": "Another account has this username.",
        "INVALID_USERNAME": "A username has 3 to 40 lowercase letters, digits, `.`, `-` and `_`.",
        "INVALID_EMAIL": "Not an e-mail address.",
        "WEAK_PASSWORD": "The password is shorter than 10 characters or contains the username.",
        "INVALID_ROLE_FOR_REGION": "The role does not fit the region's level: reviewers and admins work "
        "nationally (`ID`); operators and coordinators in a province, regency or city.",
        "INVALID_GRANT": "The grant's agency, regions, fields, report types or expiry are not acceptable "
        "(`field` says which).",
        "GRANT_REVOKED": "The partner grant is revoked: it cannot be changed; create a new one.",
        "NOT_NARROWER": "The change would let the grant read more (`field` says what): widening is "
        "`partnerGrantWiden`, a decision of its own.",
        "LOGIN_THROTTLED": "Too many failed logins: wait `retryAfterSeconds`.",
        "ONE_LOGIN_PER_REQUEST": "Only one login is checked per request: send this one in another request.",
    },
)
enum_type(
    PrincipalKind,
    name="ViewerKind",
    description="Who is asking.",
    values={
        "USER": "A signed-in staff account.",
        "PARTNER": "A partner agency's grant token (read-only, scoped).",
        "ANONYMOUS": "Nobody signed in (every field but `sessionCreate` refuses such a caller).",
        "SYSTEM": "A job of the hub itself; never a caller of the API.",
    },
)
Role: TypeAlias = RoleModel
AccessErrorCode: TypeAlias = AccessErrorCodeModel
ViewerKind: TypeAlias = PrincipalKind


@strawberry.type(description="Why a session, account or partner grant mutation did nothing.")
class AccessError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: AccessErrorCode = strawberry.field(description=ERROR_CODE)
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="LOGIN_THROTTLED: seconds to wait before the next login attempt."
    )


@strawberry.type(
    description="A staff account. Admins see every account; other staff see the accounts of their regions; "
    "partner grants see none."
)
class User(relay.Node):
    user_id: relay.NodeID[str]
    username: str = strawberry.field(description="The login name, unique.")
    full_name: str | None = strawberry.field(description="The person's name, for display.")
    role: Role = strawberry.field(description="What the account may do.")
    agency: str | None = strawberry.field(description="The office it belongs to.")
    active: bool = strawberry.field(description="False once deactivated: it can no longer sign in.")
    created_at: datetime = strawberry.field(description="When the account was created.")
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


@strawberry.type(description="An account and its cursor.")
class UserEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: User = strawberry.field(description="The account.")


@strawberry.type(description="A page of accounts.")
class UserConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[UserEdge] = strawberry.field(description="The accounts of this page, with their cursors.")
    total_count: int = strawberry.field(description="How many accounts you may see, over all pages.")

    @field(description="The accounts of this page, without edges.")
    def nodes(self) -> list[User]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="Who is asking, and what they may do.")
class Viewer:
    kind: ViewerKind = strawberry.field(description="A staff account (USER) or a partner grant (PARTNER).")
    name: str = strawberry.field(description="The username, or the partner's agency.")
    role: Role | None = strawberry.field(description="The account's role; null for partners.")
    agency: str | None = strawberry.field(description="The office or partner agency.")
    region_code: strawberry.Private[str | None]
    can_manage_users: bool = strawberry.field(
        name="viewerCanManageUsers", description="Whether the viewer may create and change accounts."
    )
    can_manage_partner_grants: bool = strawberry.field(
        name="viewerCanManagePartnerGrants", description="Whether the viewer may grant partners access."
    )
    grant: ViewerGrant | None = strawberry.field(
        default=None,
        description="A partner's own grant: regions, fields, report types and expiry; null for staff.",
    )

    @field(description="The home region; null for partners.")
    async def region(self, info: Info) -> Region | None:
        if self.region_code is None:
            return None
        region = await info.context.loaders.region.load(self.region_code)
        return Region.from_model(region) if region else None
