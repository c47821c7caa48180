"""How far the evidence of each delivery is verified (hub.evidence): checked automatically (every cited
indicator, or the requirement, has a piece that passed the worker's check and that no reviewer rejected) and
confirmed by a reviewer (every one has a confirmed piece). Loaded in one query per completeness figure.

A report counts as checked (confirmed) when it cites evidence and every indicator it cites evidence for has a
checked (confirmed) piece; a report citing none has no verified evidence. A document requirement counts when
one of the region's documents for it has a checked (confirmed) piece.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from beanie import PydanticObjectId
from pydantic import BaseModel

from hub.evidence.models import EvidencePiece, ReviewState
from hub.evidence.rules import Outcome


class _PieceFact(BaseModel):
    region_code: str
    report_id: PydanticObjectId | None = None
    indicator_code: str | None = None
    requirement_id: PydanticObjectId | None = None
    check: Outcome
    review: ReviewState

    @property
    def checked(self) -> bool:
        return self.check is Outcome.PASSED and self.review is not ReviewState.REJECTED

    @property
    def confirmed(self) -> bool:
        return self.review is ReviewState.CONFIRMED


@dataclass(frozen=True)
class Verified:
    checked: bool = False
    confirmed: bool = False


def _all_of(by_code: dict[str, list[_PieceFact]], cited: Iterable[str]) -> Verified:
    codes = list(cited)
    if not codes:
        return Verified()
    return Verified(
        checked=all(any(piece.checked for piece in by_code.get(code, [])) for code in codes),
        confirmed=all(any(piece.confirmed for piece in by_code.get(code, [])) for code in codes),
    )


@dataclass
class EvidenceStates:
    reports: dict[str, dict[str, list[_PieceFact]]] = field(default_factory=dict)  # report → code → pieces
    requirements: dict[tuple[str, str], list[_PieceFact]] = field(default_factory=dict)  # (req, region)

    def of_report(self, report_id: str, cited: Iterable[str]) -> Verified:
        return _all_of(self.reports.get(report_id, {}), cited)

    def of_requirement(self, requirement_id: str, region_code: str) -> Verified:
        pieces = self.requirements.get((requirement_id, region_code), [])
        return Verified(
            checked=any(piece.checked for piece in pieces), confirmed=any(piece.confirmed for piece in pieces)
        )


async def evidence_states(criteria: list[dict[str, Any]], period_keys: list[str]) -> EvidenceStates:
    """The pieces of these periods that `criteria` (the region, the scope: ANDed) select, by what they
    support."""
    query = {"$and": [{"period_key": {"$in": period_keys}}, *criteria]}
    facts = await EvidencePiece.find(query).project(_PieceFact).to_list()
    reports: dict[str, dict[str, list[_PieceFact]]] = defaultdict(lambda: defaultdict(list))
    requirements: dict[tuple[str, str], list[_PieceFact]] = defaultdict(list)
    for fact in facts:
        if fact.report_id is not None and fact.indicator_code is not None:
            reports[str(fact.report_id)][fact.indicator_code].append(fact)
        elif fact.requirement_id is not None:
            requirements[(str(fact.requirement_id), fact.region_code)].append(fact)
    return EvidenceStates(reports=reports, requirements=requirements)


class EvidenceLoader:
    """The evidence states, loaded on the first question: figures without any evidence to weigh (no report
    citing evidence, no document delivered) cost no query."""

    def __init__(self, criteria: list[dict[str, Any]], period_keys: list[str]) -> None:
        self._criteria = criteria
        self._period_keys = period_keys
        self._states: EvidenceStates | None = None

    async def _loaded(self) -> EvidenceStates:
        if self._states is None:
            self._states = await evidence_states(self._criteria, self._period_keys)
        return self._states

    async def of_report(self, report_id: str, cited: list[str]) -> Verified:
        return (await self._loaded()).of_report(report_id, cited) if cited else Verified()

    async def of_requirement(self, requirement_id: str, region_code: str) -> Verified:
        return (await self._loaded()).of_requirement(requirement_id, region_code)
