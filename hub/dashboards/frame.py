"""What a dashboard is about: a region the viewer may see, and a time range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hub.access.scope import Scope
from hub.dashboards.errors import DashboardError, DashboardErrorCode
from hub.i18n import Text
from hub.regions.models import Region
from hub.regions.services import region_tree

NATIONAL = "ID"
DEFAULT_DAYS = 91  # thirteen weeks
MAX_DAYS = 5 * 366


@dataclass(frozen=True)
class Frame:
    """`region` and its direct `children` that the viewer covers; incidents in [since, until)."""

    region: Region
    children: list[Region]
    since: datetime
    until: datetime
    scope: Scope

    @property
    def depth(self) -> int:
        """The index of the region's own code in a record's `region_path`."""
        return len(self.region.ancestors)


def default_region(scope: Scope) -> str:
    """A viewer's own region when the scope is one subtree; the nation otherwise."""
    roots = scope.region_roots
    return next(iter(roots)) if roots is not None and len(roots) == 1 else NATIONAL


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def time_range(since: datetime | None, until: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    end = _aware(until) if until is not None else now
    start = _aware(since) if since is not None else end - timedelta(days=DEFAULT_DAYS)
    if start >= end:
        raise DashboardError(DashboardErrorCode.INVALID_RANGE, Text("dashboards.from_before_to"), "from")
    if end - start > timedelta(days=MAX_DAYS):
        raise DashboardError(
            DashboardErrorCode.INVALID_RANGE, Text("dashboards.max_days", max_days=MAX_DAYS), "from"
        )
    return start, end


async def frame(
    scope: Scope, code: str | None, since: datetime | None, until: datetime | None, now: datetime
) -> Frame:
    """The region (default: the viewer's own) and the range. A region outside the viewer's scope is answered
    as every query answers it: with what the viewer may see there (every figure is scoped), which is nothing;
    a regency operator asking for its province sees its own regency's figures under the province."""
    start, end = time_range(since, until, now)
    wanted = (code or default_region(scope)).strip()
    tree = await region_tree()
    region = next((found for found in tree if found.id == wanted), None)
    if region is None:
        raise DashboardError(
            DashboardErrorCode.REGION_NOT_FOUND, Text("dashboards.region_not_found", wanted=wanted), "region"
        )
    children = [found for found in tree if found.parent_code == region.id]
    return Frame(region=region, children=children, since=start, until=end, scope=scope)
