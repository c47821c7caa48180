from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from beanie import Document
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory
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
    def subject(self) -> str:
        """The report type or document category required."""
        value = self.report_type if self.kind is RequirementKind.REPORT else self.document_category
        assert value is not None
        return value.value
