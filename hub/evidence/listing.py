"""Listing evidence pieces within a principal's scope: by region, period, report, document, check and review
state; newest first, keyset pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from beanie import PydanticObjectId, SortDirection

from hub.access.principal import Principal
from hub.access.scope import scope_to_mongo
from hub.core.paging import Keyset, Page, Position
from hub.documents.metadata import check_period
from hub.evidence.errors import EvidenceError, EvidenceErrorCode
from hub.evidence.models import EvidencePiece, ReviewState
from hub.evidence.rules import Outcome
from hub.regions.services import under_region

EVIDENCE_NEWEST = Keyset(
    "evidence", (("created_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING))
)


@dataclass(frozen=True)
class EvidenceFilter:
    region: str | None = None
    period_key: str | None = None
    report_id: PydanticObjectId | None = None
    document_id: PydanticObjectId | None = None
    checks: list[Outcome] = field(default_factory=list)
    reviews: list[ReviewState] = field(default_factory=list)


async def list_evidence(
    given: EvidenceFilter, principal: Principal, *, after: Position | None, first: int
) -> Page[EvidencePiece]:
    clauses: list[dict[str, Any]] = [scope_to_mongo(principal.scope)]
    clauses.append(
        await under_region(
            given.region, refuse=partial(EvidenceError, EvidenceErrorCode.EVIDENCE_NOT_FOUND, field="region")
        )
    )
    if given.period_key is not None:
        clauses.append({"period_key": check_period(given.period_key)})
    if given.report_id is not None:
        clauses.append({"report_id": given.report_id})
    if given.document_id is not None:
        clauses.append({"document_id": given.document_id})
    if given.checks:
        clauses.append({"check": {"$in": [check.value for check in given.checks]}})
    if given.reviews:
        clauses.append({"review": {"$in": [review.value for review in given.reviews]}})
    criteria = {"$and": [clause for clause in clauses if clause]}
    return await EVIDENCE_NEWEST.page(EvidencePiece, criteria, after, first)


async def pieces_of_document(principal: Principal, document_id: PydanticObjectId) -> list[EvidencePiece]:
    criteria = {"$and": [{"document_id": document_id}, scope_to_mongo(principal.scope)]}
    return await EvidencePiece.find(criteria).sort("created_at", "_id").to_list()
