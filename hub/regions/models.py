from __future__ import annotations

from enum import StrEnum

from beanie import Document
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from hub.audit.pending import Audited


class RegionLevel(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    REGENCY = "regency"
    CITY = "city"


class Region(Audited, Document):
    """One administrative region; `id` is its official code (`31`, `31.71`)."""

    id: str = Field(alias="_id")  # type: ignore[assignment]
    name: str
    level: RegionLevel
    parent_code: str | None = None
    ancestors: list[str] = Field(default_factory=list, description="codes from the root down, self excluded")
    island: bool = Field(
        default=False, description="island region: election logistics are due a week before the deadline"
    )
    island_set_by: str | None = Field(
        default=None, description="who set `island` by hand; seeding leaves the flag alone then"
    )
    latitude: float | None = Field(
        default=None, ge=-90, le=90, description="approximate centre for maps (see data/SOURCE.md)"
    )
    longitude: float | None = Field(default=None, ge=-180, le=180)

    class Settings:
        name = "regions"
        indexes = [
            IndexModel([("parent_code", ASCENDING), ("_id", ASCENDING)]),
            IndexModel([("ancestors", ASCENDING)]),
            IndexModel([("level", ASCENDING), ("_id", ASCENDING)]),
        ]

    @property
    def code(self) -> str:
        return self.id

    @property
    def subtree_codes(self) -> list[str]:
        """Ancestors plus self: what a descendant's scope filter matches on."""
        return [*self.ancestors, self.id]
