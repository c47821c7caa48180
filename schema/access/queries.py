from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.access.directory import GRANTS_NEWEST, list_grants
from hub.access.grants import READS_NEWEST, list_partner_reads
from hub.access.roles import Role as RoleModel
from hub.access.users import USERS_BY_NAME, list_users
from schema.access.grants import PartnerGrant, PartnerGrantConnection, PartnerRead, PartnerReadConnection
from schema.access.types import User, UserConnection, Viewer
from schema.access.viewer_grant import ViewerGrant
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.fields import field
from schema.permissions import IsAdmin, IsAuthenticated, IsUser


@strawberry.type
class AccessQueries:
    @field(description="The signed-in user or partner.", permission_classes=[IsAuthenticated])
    def viewer(self, info: Info) -> Viewer:
        principal = info.context.principal
        return Viewer(
            kind=principal.kind,
            name=principal.name,
            role=principal.role,
            agency=principal.agency,
            region_code=principal.region_code,
            can_manage_users=principal.role is RoleModel.ADMIN,
            can_manage_partner_grants=principal.role is RoleModel.ADMIN,
            grant=ViewerGrant.of(principal),
        )

    @field(
        description="Accounts, ordered by username: all for admins, those in the viewer's regions otherwise.",
        permission_classes=[IsUser],
    )
    async def users(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> UserConnection:
        position, size = USERS_BY_NAME.window(first=first, after=after, last=last, before=before, default=50)
        page = await list_users(info.context.principal, after=position, first=size)
        return connection(UserConnection, page, User.from_model, cursor=USERS_BY_NAME.cursor)

    @field(description="Partner grants, newest first (admins).", permission_classes=[IsAdmin])
    async def partner_grants(
        self,
        include_revoked: Annotated[
            bool, strawberry.argument(description="Revoked grants too; expired ones are always listed.")
        ] = False,
        first: First = 50,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> PartnerGrantConnection:
        position, size = GRANTS_NEWEST.window(first=first, after=after, last=last, before=before, default=50)
        page = await list_grants(include_revoked=include_revoked, after=position, first=size)
        return connection(PartnerGrantConnection, page, PartnerGrant.from_model, cursor=GRANTS_NEWEST.cursor)

    @field(
        description="Reads made through partner grants, newest first (admins): every operation a partner "
        "ran, what it asked for and which objects it read.",
        permission_classes=[IsAdmin],
    )
    async def partner_reads(
        self,
        grant: Annotated[
            relay.GlobalID | None, strawberry.argument(description="Only the reads of this PartnerGrant.")
        ] = None,
        first: First = 50,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> PartnerReadConnection:
        position, size = READS_NEWEST.window(first=first, after=after, last=last, before=before, default=50)
        page = await list_partner_reads(grant.node_id if grant else None, after=position, first=size)
        return connection(PartnerReadConnection, page, PartnerRead.from_model, cursor=READS_NEWEST.cursor)
