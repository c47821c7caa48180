from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from hub.access.directory import list_grants
from hub.access.grants import list_partner_reads
from hub.access.roles import Role as RoleModel
from hub.access.users import USERS_BY_NAME, list_users
from hub.core.paging import page_size
from schema.access.types import PartnerGrant, PartnerRead, User, UserConnection, Viewer
from schema.connection import connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAdmin, IsAuthenticated, IsUser


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
        page = await list_users(info.context.principal, after=USERS_BY_NAME.position(after), first=size)
        return connection(UserConnection, page, User.from_model, cursor=USERS_BY_NAME.cursor, after=after)

    @field(description="Every partner grant, newest first.", permission_classes=[IsAdmin])
    async def partner_grants(self, include_revoked: bool = False) -> list[PartnerGrant]:
        return [
            PartnerGrant.from_model(grant) for grant in await list_grants(include_revoked=include_revoked)
        ]

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
