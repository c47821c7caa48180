from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from beanie import Document
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory
from hub.evidence.rules import EvidenceRule
from hub.regions.models import RegionLevel
from hub.reports.models import ReportType


class RequirementKind(StrEnum):
    REPORT = "report"
    DOCUMENT = "document"


class Requirement(Audited, Document):
    """A period's demand: regions of these levels must deliver this report type or document category."""

    period_key: str  # "2026-Q1"
    kind: RequirementKind
    report_type: ReportType | None = None
    document_category: DocumentCategory | None = None
    levels: list[RegionLevel]
    due_at: datetime
    title: str
    # Document requirements: what the text of valid evidence shows (hub.evidence.rules), besides its category.
    evidence_phrases: list[str] = Field(default_factory=list)
    evidence_pattern: str | None = None
    key: str = Field(description="period, kind, what and levels: one requirement per combination")
    created_by: str
    created_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "requirements"
        indexes = [
            IndexModel([("key", ASCENDING)], unique=True),
            IndexModel([("period_key", ASCENDING)]),
        ]

    @property
    def evidence_rule(self) -> EvidenceRule:
        return EvidenceRule(
            category=self.document_category,
            phrases=self.evidence_phrases,
            number_pattern=self.evidence_pattern,
        )

    @property
    def subject(self) -> str:
        """The report type or document category required."""
        value = self.report_type if self.kind is RequirementKind.REPORT else self.document_category
        assert value is not None
        return value.value
