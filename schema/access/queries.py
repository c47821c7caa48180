from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from beanie import PydanticObjectId
from bson.errors import InvalidId
from strawberry import relay

from hub.access.grants import list_partner_reads
from hub.access.models import PartnerGrant as PartnerGrantModel
from hub.access.models import User as UserModel
from hub.access.roles import Role as RoleModel
from hub.access.users import list_users, users_visible_to
from schema.access.types import PartnerGrant, PartnerRead, User, Viewer
from schema.context import Info
from schema.fields import field
from schema.pagination import decode_cursor, encode_cursor, page_size
from schema.permissions import IsAdmin, IsAuthenticated, IsUser

CURSOR_KIND = "user"


def _object_ids(values: list[str]) -> list[PydanticObjectId]:
    ids = []
    for value in values:
        try:
            ids.append(PydanticObjectId(value))
        except (InvalidId, TypeError, ValueError):
            continue
    return ids


async def visible_users(info: Info, ids: list[str]) -> list[Any]:
    """Users by id as the viewer may see them: admins all, other users those in their scope, partners none."""
    principal = info.context.principal
    if not principal.is_authenticated or principal.is_partner:
        return [None] * len(ids)
    criteria = {"$and": [{"_id": {"$in": _object_ids(ids)}}, users_visible_to(principal)]}
    found = {str(user.id): user for user in await UserModel.find(criteria).to_list()}
    return [User.from_model(found[value]) if value in found else None for value in ids]


async def visible_grants(info: Info, ids: list[str]) -> list[Any]:
    if not info.context.principal.is_admin:
        return [None] * len(ids)
    found = {
        str(grant.id): grant
        for grant in await PartnerGrantModel.find({"_id": {"$in": _object_ids(ids)}}).to_list()
    }
    return [PartnerGrant.from_model(found[value]) if value in found else None for value in ids]


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


@strawberry.type
class AccessQueries:
    @field(description="The signed-in user or partner.", permission_classes=[IsAuthenticated])
    def viewer(self, info: Info) -> Viewer:
        principal = info.context.principal
        return Viewer(
            kind=principal.kind.value,
            name=principal.name,
            role=principal.role,
            agency=principal.agency,
            region_code=principal.region_code,
            can_manage_users=principal.role is RoleModel.ADMIN,
            can_manage_partner_grants=principal.role is RoleModel.ADMIN,
        )

    @field(
        description="Accounts, ordered by username: all for admins, those in the viewer's regions otherwise.",
        permission_classes=[IsUser],
    )
    async def users(self, info: Info, first: int | None = 50, after: str | None = None) -> UserConnection:
        size = page_size(first)
        after_name = decode_cursor(CURSOR_KIND, after) if after else None
        users, total = await list_users(info.context.principal, after=after_name, first=size)
        edges = [
            UserEdge(cursor=encode_cursor(CURSOR_KIND, user.username), node=User.from_model(user))
            for user in users[:size]
        ]
        return UserConnection(
            edges=edges,
            total_count=total,
            page_info=relay.PageInfo(
                has_next_page=len(users) > size,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @field(description="Every partner grant, newest first.", permission_classes=[IsAdmin])
    async def partner_grants(self, include_revoked: bool = False) -> list[PartnerGrant]:
        criteria: dict[str, Any] = {} if include_revoked else {"revoked_at": None}
        grants = await PartnerGrantModel.find(criteria).sort("-created_at").limit(500).to_list()
        return [PartnerGrant.from_model(grant) for grant in grants]

    @field(
        description="Reads made through partner grants, newest first; page with `before` (an `at` time).",
        permission_classes=[IsAdmin],
    )
    async def partner_reads(
        self, grant: relay.GlobalID | None = None, before: datetime | None = None, first: int | None = 50
    ) -> list[PartnerRead]:
        reads = await list_partner_reads(
            grant.node_id if grant else None, before=before, first=page_size(first)
        )
        return [PartnerRead.from_model(read) for read in reads]
