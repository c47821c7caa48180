from __future__ import annotations

import strawberry
from beanie import PydanticObjectId
from bson.errors import InvalidId
from strawberry import relay

from hub.elections.errors import ElectionError, ElectionErrorCode
from hub.elections.services import get_election, list_elections
from hub.elections.support import election_support
from schema.context import Info
from schema.cost import cost
from schema.elections.support_types import (
    ElectionSupportFilter,
    RegionSupport,
    RegionSupportConnection,
    RegionSupportEdge,
)
from schema.elections.types import Election, ElectionConnection
from schema.fields import field
from schema.pagination import PaginationError, decode_cursor, encode_cursor, page_size
from schema.permissions import IsAuthenticated, IsUser

ELECTION_CURSOR = "election"
SUPPORT_CURSOR = "support"


def _election_key(cursor: str) -> tuple[int, PydanticObjectId]:
    year, _, election_id = decode_cursor(ELECTION_CURSOR, cursor).partition("/")
    try:
        return int(year), PydanticObjectId(election_id)
    except (InvalidId, TypeError, ValueError):
        raise PaginationError(f"the cursor {cursor!r} is not valid here") from None


def _page_info(cursors: list[str], after: str | None, has_next_page: bool) -> relay.PageInfo:
    return relay.PageInfo(
        has_next_page=has_next_page,
        has_previous_page=after is not None,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )


@strawberry.type
class ElectionQueries:
    @field(
        description="Elections, the newest year first. One election by id: `node(id:)`.",
        permission_classes=[IsAuthenticated],
    )
    async def elections(self, first: int | None = 20, after: str | None = None) -> ElectionConnection:
        size = page_size(first)
        page = await list_elections(after=_election_key(after) if after else None, first=size)
        edges = [
            relay.Edge(
                cursor=encode_cursor(ELECTION_CURSOR, f"{election.year}/{election.id}"),
                node=Election.from_model(election),
            )
            for election in page.items
        ]
        return ElectionConnection(
            edges=edges,
            total_count=page.total_count,
            page_info=_page_info([edge.cursor for edge in edges], after, page.has_next_page),
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
        after_code = decode_cursor(SUPPORT_CURSOR, after) if after else None
        if election.type_name != "Election":
            raise ElectionError(
                ElectionErrorCode.ELECTION_NOT_FOUND, "`election` must be an Election id", "election"
            )
        found = await get_election(election.node_id, "election")
        wanted = (filter or ElectionSupportFilter()).to_domain()
        page = await election_support(
            found, stage, scope=info.context.principal.scope, wanted=wanted, after=after_code, first=size
        )
        edges = [
            RegionSupportEdge(
                cursor=encode_cursor(SUPPORT_CURSOR, row.region.id),
                node=RegionSupport.from_model(row, wanted.case_categories),
            )
            for row in page.items
        ]
        return RegionSupportConnection(
            edges=edges,
            total_count=page.total_count,
            page_info=_page_info([edge.cursor for edge in edges], after, page.has_next_page),
        )
