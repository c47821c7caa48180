"""The Dashboard object: a region and a range, whose sections each run their own bounded queries when asked
for, so a client pays only for what it selects."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.completeness.compute import figures
from hub.completeness.services import rolled_up
from hub.core.clock import utcnow
from hub.dashboards.cases import case_figures
from hub.dashboards.frame import Frame
from hub.dashboards.incidents import incident_figures
from hub.dashboards.support import support_summary
from hub.early_warning.service import Params, flagged_regions
from hub.elections.errors import ElectionError, ElectionErrorCode
from hub.elections.services import get_election
from hub.i18n import Text
from schema.completeness.types import Completeness, CompletenessFigures, CompletenessRow
from schema.context import Info
from schema.cost import cost
from schema.dashboards.types import CaseFigures, EarlyWarning, ElectionSupportSummary, IncidentFigures
from schema.error_codes import ClientError, RequestErrorCode
from schema.fields import field
from schema.regions.types import Region, RegionLevel

MAX_PERIODS = 8


@strawberry.type(
    description="Figures under one region, within your scope. Incident figures cover [from, to); cases are "
    "their current state; early warnings are as of `to`."
)
class Dashboard:
    region: Region = strawberry.field(description="The region the figures are about.")
    from_: datetime = strawberry.field(name="from", description="Start of the range (inclusive).")
    to: datetime = strawberry.field(description="End of the range (exclusive).")
    frame: strawberry.Private[Frame]

    @classmethod
    def of(cls, frame: Frame) -> Dashboard:
        return cls(region=Region.from_model(frame.region), from_=frame.since, to=frame.until, frame=frame)

    # Weights, in simple indexed queries: a $facet aggregation over the subtree's incidents or cases is worth
    # 20; the completeness roll-up, the election support (four queries over the participating regions) and
    # the early-warning baseline (13 windows of incidents) 30.
    @field(description="Incidents by severity, category, child region and week.", metadata=cost(weight=20))
    async def incidents(self) -> IncidentFigures:
        return IncidentFigures.of(await incident_figures(self.frame))

    @field(description="Open and overdue cases by category and severity.", metadata=cost(weight=20))
    async def cases(self) -> CaseFigures:
        return CaseFigures.of(await case_figures(self.frame, utcnow()))

    @field(
        description="Reporting and on-time rates for 1 to 8 periods (such as `2026-Q1`): the region's total "
        "and a row per child region, as `completeness` gives them.",
        metadata=cost(weight=30),
    )
    async def completeness(
        self,
        periods: Annotated[
            list[str], strawberry.argument(description=f"1 to {MAX_PERIODS} periods, such as `2026-Q1`.")
        ],
    ) -> Completeness:
        if not periods or len(periods) > MAX_PERIODS:
            raise ClientError(
                Text("request.periods_count", max_periods=MAX_PERIODS), RequestErrorCode.INVALID_PAGINATION
            )
        rows, cells = await rolled_up(self.frame.scope, self.frame.region.id, sorted(set(periods)))
        return Completeness(
            total=CompletenessFigures.of(figures(cells)), rows=[CompletenessRow.of(row) for row in rows]
        )

    @field(
        description="Support for an election stage summed over the participating regions under the region "
        "(regencies and cities unless `level` says otherwise).",
        metadata=cost(weight=30),
    )
    async def election_support(
        self,
        election: Annotated[relay.GlobalID, strawberry.argument(description="An Election id.")],
        stage: Annotated[str, strawberry.argument(description="The code of one of its stages.")],
        level: Annotated[
            RegionLevel | None,
            strawberry.argument(description="The level counted; regencies and cities by default."),
        ] = None,
    ) -> ElectionSupportSummary:
        if election.type_name != "Election":
            raise ElectionError(
                ElectionErrorCode.ELECTION_NOT_FOUND, Text("dashboards.election_not_found"), "election"
            )
        found = await get_election(election.node_id, "election")
        summary = await support_summary(self.frame, found, stage, level, utcnow())
        return ElectionSupportSummary.of(summary)

    @field(
        description="Regions under the region whose incidents in the last window (as of `to`) are abnormally "
        "high against their own baseline, the highest score first.",
        metadata=cost(weight=30),
    )
    async def early_warnings(self, info: Info) -> list[EarlyWarning]:
        params = Params.of(info.context.clients.settings)
        signals = await flagged_regions(
            self.frame.until, params, scope=self.frame.scope, root=self.frame.region.id
        )
        return [EarlyWarning.of(signal) for signal in signals]
