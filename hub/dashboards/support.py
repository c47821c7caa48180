"""Election-stage support under a region, summed: how many participating regions have their NPHD signed
and disbursed, logistics ready and on time, the monitoring team's decree in place. Built on
hub.elections.support (three queries whatever the number of regions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.dashboards.frame import Frame
from hub.elections.models import Election
from hub.elections.support import RegionSupport, SupportFilter, election_support
from hub.regions.models import RegionLevel

FULL = 100.0
ALL_ROWS = 10_000  # more than the country's regions: one page holds them all


@dataclass(frozen=True)
class SupportSummary:
    regions: int  # participating regions of the level under the frame's region, in the viewer's scope
    reported: int  # with a counted quarterly report on the stage
    nphd_signed: int
    nphd_disbursed: int  # NPHD funds disbursed in full (100%)
    logistics_ready: int  # logistics 100% ready
    logistics_on_time: int
    logistics_late: int
    team_decree_in_place: int
    open_cases: int  # open cases about the stage
    overdue_cases: int


def summarise(rows: list[RegionSupport]) -> SupportSummary:
    cases = [case for row in rows for case in row.open_cases]
    return SupportSummary(
        regions=len(rows),
        reported=sum(row.reported for row in rows),
        nphd_signed=sum(row.nphd_signed is True for row in rows),
        nphd_disbursed=sum((row.nphd_disbursed_percent or 0) >= FULL for row in rows),
        logistics_ready=sum((row.logistics_ready_percent or 0) >= FULL for row in rows),
        logistics_on_time=sum(row.logistics_on_time is True for row in rows),
        logistics_late=sum(row.logistics_on_time is False for row in rows),
        team_decree_in_place=sum(row.team_decree_in_place is True for row in rows),
        open_cases=len(cases),
        overdue_cases=sum(case.overdue for case in cases),
    )


async def support_summary(
    frame: Frame, election: Election, stage_code: str, level: RegionLevel | None, now: datetime
) -> SupportSummary:
    page = await election_support(
        election,
        stage_code,
        scope=frame.scope,
        wanted=SupportFilter(region=frame.region.id, level=level),
        first=ALL_ROWS,
        now=now,
    )
    return summarise(page.items)
