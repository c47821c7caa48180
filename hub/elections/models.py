from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from beanie import Document
from pydantic import BaseModel, Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow
from hub.core.idempotency import key_index, random_key


class ElectionKind(StrEnum):
    PEMILU = "pemilu"  # national: president, legislatures; the whole country takes part
    PILKADA = "pilkada"  # regional heads: governors, regents, mayors of the participating regions


class Stage(BaseModel):
    """One stage (tahapan) of an election's calendar. `code` is a slug, unique within the election."""

    code: str
    name: str
    starts_on: date
    ends_on: date
    logistics_deadline: date | None = Field(
        default=None, description="logistics must be delivered by then; island regions a week earlier"
    )


class Election(Audited, Document):
    kind: ElectionKind
    name: str
    year: int
    region_roots: list[str] = Field(description="codes of the participating region subtrees; Pemilu: ['ID']")
    stages: list[Stage] = Field(default_factory=list, description="ordered by start date")
    created_by: str
    client_mutation_id: str | None = None
    idempotency_key: str = Field(default_factory=random_key, description="hub.core.idempotency")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "elections"
        indexes = [
            IndexModel(
                [("kind", ASCENDING), ("year", ASCENDING), ("name", ASCENDING)],
                unique=True,
                name="one_election_per_kind_year_name",
            ),
            IndexModel([("year", DESCENDING), ("_id", DESCENDING)]),
            # `updatedSince` (hub.sync.since): changes in order.
            IndexModel([("updated_at", ASCENDING), ("_id", ASCENDING)]),
            key_index("election_idempotency_key"),
        ]

    def stage(self, code: str) -> Stage | None:
        """The stage with this code (codes are stored lowercase), or None."""
        wanted = code.strip().lower()
        return next((stage for stage in self.stages if stage.code == wanted), None)
