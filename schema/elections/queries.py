from __future__ import annotations

import strawberry
from strawberry import relay

from hub.core.paging import page_size
from hub.elections.errors import ElectionError, ElectionErrorCode
from hub.elections.services import ELECTIONS_NEWEST, get_election, list_elections
from hub.elections.support import SUPPORT_BY_REGION, election_support
from hub.elections.support import RegionSupport as RegionSupportModel
from schema.connection import connection
from schema.context import Info
from schema.cost import cost
from schema.elections.support_types import ElectionSupportFilter, RegionSupport, RegionSupportConnection
from schema.elections.types import Election, ElectionConnection
from schema.fields import field
from schema.permissions import IsAuthenticated, IsUser


def _support_cursor(row: RegionSupportModel) -> str:
    return SUPPORT_BY_REGION.cursor(row.region)


@strawberry.type
class ElectionQueries:
    @field(
        description="Elections, the newest year first. One election by id: `node(id:)`.",
        permission_classes=[IsAuthenticated],
    )
    async def elections(self, first: int | None = 20, after: str | None = None) -> ElectionConnection:
        page = await list_elections(after=ELECTIONS_NEWEST.position(after), first=page_size(first))
        return connection(
            ElectionConnection, page, Election.from_model, cursor=ELECTIONS_NEWEST.cursor, after=after
        )

    @field(
        description="Per participating region in your scope, what its latest quarterly report says about "
        "the support for an election stage (NPHD, logistics, monitoring team) and which cases are open "
        "about it. 'Which regions have not signed their NPHD, and what is being done': "
        "`filter: {nphdSigned: false}` with `openCases`.",
        permission_classes=[IsUser],
        metadata=cost(weight=30),  # the latest quarterly report of every participating region, and cases
    )
    async def election_support(
        self,
        info: Info,
        election: relay.GlobalID,
        stage: str,
        filter: ElectionSupportFilter | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> RegionSupportConnection:
        size = page_size(first, default=50)
        position = SUPPORT_BY_REGION.position(after)
        if election.type_name != "Election":
            raise ElectionError(
                ElectionErrorCode.ELECTION_NOT_FOUND, "`election` must be an Election id", "election"
            )
        found = await get_election(election.node_id, "election")
        wanted = (filter or ElectionSupportFilter()).to_domain()
        page = await election_support(
            found, stage, scope=info.context.principal.scope, wanted=wanted, after=position, first=size
        )
        return connection(
            RegionSupportConnection,
            page,
            [RegionSupport.from_model(row, wanted.case_categories) for row in page.items],
            cursor=_support_cursor,
            after=after,
        )
