"""Completeness figures from requirements and deliveries. Pure: no database, no clock.

DHIS2 definitions: reporting rate = delivered / expected; on-time rate = delivered by the due date / expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CellState(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"


# Slotted: a national matrix makes thousands of these per request, and a frozen dataclass with slots is
# built about three times faster than one with a __dict__.
@dataclass(frozen=True, slots=True)
class Delivery:
    at: datetime
    verified: bool = False
    # Its evidence (hub.completeness.evidence): checked automatically, and confirmed by a reviewer.
    evidence_checked: bool = False
    evidence_confirmed: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    requirement_id: str
    region_code: str
    state: CellState
    verified: bool
    delivered_at: datetime | None
    # The region's deadline: the requirement's, or an extension's (hub.reports.extensions). Not compared: a
    # cell is its state, whichever deadline decided it.
    due_at: datetime | None = field(default=None, compare=False)
    evidence_checked: bool = False
    evidence_confirmed: bool = False


@dataclass(frozen=True)
class Figures:
    expected: int = 0
    on_time: int = 0
    late: int = 0
    verified: int = 0
    evidence_checked: int = 0
    evidence_confirmed: int = 0

    @property
    def delivered(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return self.expected - self.delivered

    @property
    def reporting_rate(self) -> float | None:
        return self.delivered / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @property
    def evidence_checked_rate(self) -> float | None:
        return self.evidence_checked / self.expected if self.expected else None

    @property
    def evidence_confirmed_rate(self) -> float | None:
        return self.evidence_confirmed / self.expected if self.expected else None


def cell(requirement_id: str, region_code: str, due_at: datetime, delivery: Delivery | None) -> Cell:
    if delivery is None:
        return Cell(requirement_id, region_code, CellState.MISSING, False, None, due_at)
    state = CellState.ON_TIME if delivery.at <= due_at else CellState.LATE
    return Cell(
        requirement_id,
        region_code,
        state,
        delivery.verified,
        delivery.at,
        due_at,
        delivery.evidence_checked,
        delivery.evidence_confirmed,
    )


def figures(cells: Iterable[Cell]) -> Figures:
    expected = on_time = late = verified = checked = confirmed = 0
    for item in cells:
        expected += 1
        on_time += item.state is CellState.ON_TIME
        late += item.state is CellState.LATE
        verified += item.verified
        checked += item.evidence_checked
        confirmed += item.evidence_confirmed
    return Figures(
        expected=expected,
        on_time=on_time,
        late=late,
        verified=verified,
        evidence_checked=checked,
        evidence_confirmed=confirmed,
    )
