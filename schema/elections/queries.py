from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.elections.errors import ElectionError, ElectionErrorCode
from hub.elections.services import elections_order, get_election, list_elections
from hub.elections.support import SUPPORT_BY_REGION, election_support
from hub.elections.support import RegionSupport as RegionSupportModel
from hub.i18n import Text
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.cost import cost
from schema.elections.support_types import ElectionSupportFilter, RegionSupport, RegionSupportConnection
from schema.elections.types import Election, ElectionConnection
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.regions.code import known_region
from schema.sync.arguments import UpdatedSince


def _support_cursor(row: RegionSupportModel) -> str:
    return SUPPORT_BY_REGION.cursor(row.region)


@strawberry.type
class ElectionQueries:
    @field(
        description="Elections, the newest year first. One election by id: `node(id:)`.",
        permission_classes=[IsAuthenticated],
    )
    async def elections(
        self,
        first: First = 20,
        after: After = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> ElectionConnection:
        keyset = elections_order(updated_since)
        position, size = keyset.window(first=first, after=after, last=last, before=before)
        page = await list_elections(after=position, first=size, updated_since=updated_since)
        return connection(ElectionConnection, page, Election.from_model, cursor=keyset.cursor)

    @field(
        description="Per participating region in your scope, what its latest quarterly report says about "
        "the support for an election stage (NPHD, logistics, monitoring team) and which cases are open "
        "about it. 'Which regions have not signed their NPHD, and what is being done': "
        "`filter: {nphdSigned: false}` with `openCases`. Partner grants read the `RegionSupport` fields "
        "they list (and the `Case` fields `openCases` repeats), from quarterly reports when they may read "
        "that report type.",
        permission_classes=[IsAuthenticated],
        metadata=cost(weight=30),  # the latest quarterly report of every participating region, and cases
    )
    async def election_support(
        self,
        info: Info,
        election: Annotated[relay.GlobalID, strawberry.argument(description="An Election id.")],
        stage: Annotated[str, strawberry.argument(description="The code of one of its stages.")],
        filter: Annotated[
            ElectionSupportFilter | None, strawberry.argument(description="Which rows; all by default.")
        ] = None,
        first: First = 50,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> RegionSupportConnection:
        position, size = SUPPORT_BY_REGION.window(
            first=first, after=after, last=last, before=before, default=50
        )
        if filter is not None:
            await known_region(info, filter.region, "filter.region")
        if election.type_name != "Election":
            raise ElectionError(
                ElectionErrorCode.ELECTION_NOT_FOUND, Text("elections.election_id"), "election"
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
        )
