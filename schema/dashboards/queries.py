from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.core.clock import utcnow
from hub.dashboards.frame import frame
from hub.dashboards.geojson import MAX_POINTS, incident_points, region_centres
from hub.i18n import Text
from schema.context import Info
from schema.cost import cost
from schema.dashboards.dashboard import Dashboard
from schema.dashboards.geojson import GeoJSON
from schema.error_codes import ClientError, RequestErrorCode
from schema.fields import field
from schema.permissions import IsAuthenticated, IsUser
from schema.regions.code import RegionCode, known_region
from schema.regions.types import RegionLevel

RegionArgument = Annotated[
    RegionCode | None,
    strawberry.argument(
        description="The region; default: your own region (the nation for central staff). A region outside "
        "your scope counts only what you may see there: nothing."
    ),
]
FromArgument = Annotated[
    datetime | None,
    strawberry.argument(name="from", description="Start (inclusive); default: 91 days before `to`."),
]
ToArgument = Annotated[datetime | None, strawberry.argument(description="End (exclusive); default: now.")]


def _report_id(raw: str) -> str:
    return relay.to_base64("Report", raw)


@strawberry.type
class DashboardQueries:
    @field(
        description="Figures under a region for leaders and staff: incidents, cases, reporting and on-time "
        "rates, election-stage support and early warnings. Partner tokens are refused.",
        permission_classes=[IsUser],
    )
    async def dashboard(
        self,
        info: Info,
        region: RegionArgument = None,
        from_: FromArgument = None,
        to: ToArgument = None,
    ) -> Dashboard:
        found = await frame(info.context.principal.scope, region, from_, to, utcnow())
        return Dashboard.of(found)

    @field(
        description="Incidents with coordinates under a region in [from, to) that you may see, the latest "
        "first, as a GeoJSON FeatureCollection of Points ([longitude, latitude]); each Feature's `id` and "
        "`properties.id` are the Report's global id, `properties` also hold `category` (an IncidentCategory "
        "value), `severity` (a RiskLevel value), `occurredAt` (ISO 8601), `title` and `regionCode`; the "
        "collection's `truncated` is true when more than `first` matched.",
        permission_classes=[IsUser],
        # An aggregation over the subtree's incidents; each point is a record built and sent: 1000 count 20.
        metadata=cost(weight=20, max_first=MAX_POINTS, per_first=0.02),
    )
    async def incident_points(
        self,
        info: Info,
        region: RegionArgument = None,
        from_: FromArgument = None,
        to: ToArgument = None,
        first: Annotated[
            int, strawberry.argument(description=f"How many points at most, 1 to {MAX_POINTS}.")
        ] = 1000,
    ) -> GeoJSON:
        if not 0 < first <= MAX_POINTS:
            raise ClientError(
                Text("request.first_between", low=1, high=MAX_POINTS), RequestErrorCode.INVALID_PAGINATION
            )
        found = await frame(info.context.principal.scope, region, from_, to, utcnow())
        return GeoJSON(await incident_points(found, limit=first, report_id=_report_id))

    @field(
        description="An approximate centre of each region of a level and/or under a parent, as a GeoJSON "
        "FeatureCollection of Points; each Feature's `id` and `properties.code` are the region's code, "
        "`properties` also hold `name`, `level` (a RegionLevel value) and `parentCode`; the collection's "
        "`method` says how the centres were computed. Not official centroids.",
        permission_classes=[IsAuthenticated],
        metadata=cost(weight=10),  # computed from every region's village coordinates
    )
    async def region_centroids(
        self,
        info: Info,
        level: Annotated[
            RegionLevel | None, strawberry.argument(description="Only the regions of this level.")
        ] = None,
        parent: Annotated[
            RegionCode | None, strawberry.argument(description="Only the regions directly under this one.")
        ] = None,
    ) -> GeoJSON:
        return GeoJSON(await region_centres(level, await known_region(info, parent, "parent")))
