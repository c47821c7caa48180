"""A piece of evidence: one document attached as evidence of one thing — an indicator of a report, or a
document requirement of a period — with the rule it must meet, the worker's check and a reviewer's verdict."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from beanie import Document, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow
from hub.evidence.rules import EvidenceRule, Outcome


class ReviewState(StrEnum):
    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


def report_target(report_id: object, indicator_code: str) -> str:
    return f"report:{report_id}:{indicator_code}"


def requirement_target(requirement_id: object) -> str:
    return f"requirement:{requirement_id}"


class EvidencePiece(Audited, Document):
    document_id: PydanticObjectId
    target: str = Field(description="report:<id>:<indicator> or requirement:<id>")
    region_code: str
    region_path: list[str]
    period_key: str | None = None
    report_id: PydanticObjectId | None = None
    indicator_code: str | None = None
    requirement_id: PydanticObjectId | None = None
    rule: EvidenceRule
    check: Outcome = Outcome.PENDING
    check_reason: str | None = None
    passage: str | None = Field(default=None, description="the text around what the check found")
    checked_at: datetime | None = None
    checked_revision: int | None = Field(default=None, description="the document revision the check read")
    review: ReviewState = ReviewState.UNREVIEWED
    review_reason: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "evidence"
        indexes = [
            IndexModel([("document_id", ASCENDING), ("target", ASCENDING)], unique=True, name="one_target"),
            IndexModel([("report_id", ASCENDING)]),
            IndexModel([("period_key", ASCENDING), ("region_path", ASCENDING)]),
        ]

    @property
    def counts_as_checked(self) -> bool:
        """Passed the worker's check and not rejected by a reviewer."""
        return self.check is Outcome.PASSED and self.review is not ReviewState.REJECTED

    @property
    def counts_as_confirmed(self) -> bool:
        return self.review is ReviewState.CONFIRMED
