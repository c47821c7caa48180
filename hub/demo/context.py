"""What every record builder needs: the run's keys, its regions and people, and when "now" is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hub.demo.keys import Keys
from hub.demo.plan import Plan
from hub.elections.models import Election
from hub.regions.models import Region
from hub.reports.models import Period

DEMO_ACTOR = "system:demo"


def username(role: str, region_code: str) -> str:
    return f"demo-{role}-{region_code.replace('.', '-').lower()}"


@dataclass
class Run:
    keys: Keys
    plan: Plan
    now: datetime  # the end of the generated time span (the first instant of the current quarter)
    periods: list[Period]
    regions: list[Region]  # the regions that get data, parents before children
    by_code: dict[str, Region]
    elections: list[Election] = field(default_factory=list)

    def operator(self, region: Region) -> str:
        return f"user:{username('operator', region.id)}"

    def coordinator(self, region: Region) -> str:
        return f"user:{username('coordinator', region.id)}"

    def reviewer_of(self, region: Region) -> str:
        """The parent's coordinator reviews a regency or city; the central reviewer reviews provinces."""
        if region.parent_code is None or region.parent_code == "ID":
            return "user:demo-reviewer"
        parent = self.by_code.get(region.parent_code)
        return self.coordinator(parent) if parent is not None else "user:demo-reviewer"

    def is_city(self, region: Region) -> bool:
        return region.level.value == "city"
