from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow
from hub.core.idempotency import key_index, random_key
from hub.evidence.rules import EvidenceRule
from hub.reports.rules import Rule
from hub.reports.values import ValueType as ValueType  # re-exported: its historical home


class ReportType(StrEnum):
    QUARTERLY = "quarterly"
    INCIDENT = "incident"


class Indicator(BaseModel):
    code: str
    label: str
    value_type: ValueType
    required: bool = False
    evidence_required: bool = False
    # What valid evidence of it is (hub.evidence.rules): a category, phrases, a number pattern.
    evidence: EvidenceRule | None = None
    choices: list[str] | None = None
    help: str | None = None


class Section(BaseModel):
    code: str
    title: str
    narrative_required: bool = True
    indicators: list[Indicator] = Field(default_factory=list)


class TemplateContent(BaseModel):
    """A versioned form. Reports keep the version they were written against."""

    type: ReportType
    version: int
    title: str
    sections: list[Section]
    rules: list[Rule] = Field(default_factory=list, description="across fields: hub.reports.rules")

    def indicator(self, code: str) -> Indicator | None:
        return next((i for s in self.sections for i in s.indicators if i.code == code), None)

    def section(self, code: str) -> Section | None:
        return next((section for section in self.sections if section.code == code), None)

    def indicators(self) -> list[Indicator]:
        return [indicator for section in self.sections for indicator in section.indicators]


class ReportTemplate(Audited, Document, TemplateContent):
    """A stored template version: never changed once written (a new version is a new document)."""

    created_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "report_templates"
        indexes = [IndexModel([("type", ASCENDING), ("version", DESCENDING)], unique=True)]


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    RETURNED = "returned"
    EVALUATED = "evaluated"
    ARCHIVED = "archived"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IncidentCategory(StrEnum):
    DEMONSTRATION = "demonstration"
    CONFLICT = "conflict"
    SECURITY_DISTURBANCE = "security_disturbance"
    NEUTRALITY_BREACH = "neutrality_breach"
    MONEY_POLITICS = "money_politics"
    ELECTION_LOGISTICS = "election_logistics"
    OTHER = "other"


class PeopleInvolved(BaseModel):
    participants: int = Field(default=0, ge=0)
    injured: int = Field(default=0, ge=0)
    dead: int = Field(default=0, ge=0)
    arrested: int = Field(default=0, ge=0)


class IncidentDetails(BaseModel):
    category: IncidentCategory
    severity: RiskLevel
    occurred_at: datetime
    place: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    people: PeopleInvolved = Field(default_factory=PeopleInvolved)
    follow_up: str | None = None


class Period(BaseModel):
    year: int = Field(ge=2000, le=2100)
    quarter: int = Field(ge=1, le=4)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @classmethod
    def from_key(cls, key: str) -> Period:
        """The period a key like `2026-Q1` names; ValueError for anything else."""
        year, separator, quarter = key.partition("-Q")
        if not separator or not year.isdigit() or not quarter.isdigit():
            raise ValueError(f"{key!r} is not a period like 2026-Q1")
        return cls(year=int(year), quarter=int(quarter))  # pydantic's ValidationError is a ValueError


class ReasonState(StrEnum):
    """A return reason's life: OPEN → ADDRESSED (the author) → RESOLVED (the reviewer), or back to OPEN when
    the reviewer finds the answer wanting (hub.reports.return_reasons)."""

    OPEN = "open"
    ADDRESSED = "addressed"
    RESOLVED = "resolved"


class ReasonStep(BaseModel):
    """One change of a reason's state: who, when, to what, with an optional note."""

    state: ReasonState
    actor: str
    at: datetime
    note: str | None = None


class ReturnReason(BaseModel):
    target: str = Field(description="a section or indicator code, or `general`")
    message: str
    state: ReasonState = ReasonState.OPEN
    steps: list[ReasonStep] = Field(default_factory=list, description="its state changes, oldest first")


class ReviewEvent(BaseModel):
    action: str  # submit, verify, return, evaluate, archive
    actor: str
    at: datetime = Field(default_factory=utcnow)
    revision: int
    reasons: list[ReturnReason] = Field(default_factory=list)
    note: str | None = None
    require_addressed: bool = Field(
        default=False, description="RETURN: the author may resubmit only when every reason is addressed"
    )


class ReportRevision(BaseModel):
    """What was submitted, each time it was submitted."""

    number: int
    submitted_by: str
    submitted_at: datetime
    narratives: dict[str, str]
    values: dict[str, Any]
    evidence: dict[str, list[str]]


class IncidentCorrection(BaseModel):
    """A correction its author made to a filed incident before review: who, when, and each field's value
    before and after (hub.audit.values.before_after, bounded)."""

    actor: str
    at: datetime
    fields: list[str]
    before: dict[str, Any]
    after: dict[str, Any]
    request_key: str | None = Field(
        default=None, description="clientMutationId's key: a retry changes nothing"
    )


class Report(Audited, Document):
    region_code: str
    region_path: list[str]
    type: ReportType
    template_version: int
    # Quarterly reports: one per region and period (enforced by the unique period key);
    # incidents get a unique key of their own.
    period: Period | None = None
    period_key: str
    title: str
    narratives: dict[str, str] = Field(default_factory=dict)
    values: dict[str, Any] = Field(default_factory=dict)
    evidence: dict[str, list[str]] = Field(default_factory=dict, description="indicator code → document ids")
    risk_level: RiskLevel | None = None
    incident: IncidentDetails | None = None
    stage_code: str | None = None
    election_id: PydanticObjectId | None = None  # with stage_code: the election stage reported on
    status: ReportStatus = ReportStatus.DRAFT
    revision: int = 0
    revisions: list[ReportRevision] = Field(default_factory=list)
    reviews: list[ReviewEvent] = Field(default_factory=list)
    attachments: list[PydanticObjectId] = Field(
        default_factory=list, description="incidents: documents attached (photos, videos, files), in order"
    )
    corrections: list[IncidentCorrection] = Field(
        default_factory=list, description="incidents: the author's corrections before review, oldest first"
    )
    author: str
    author_id: PydanticObjectId | None = None
    last_reviewer: str | None = None
    client_mutation_id: str | None = None
    idempotency_key: str = Field(default_factory=random_key, description="hub.core.idempotency")
    first_submitted_at: datetime | None = None
    submitted_at: datetime | None = None
    due_at: datetime = Field(
        description="the deadline in force: `base_due_at`, or an extension's (later) one"
    )
    base_due_at: datetime | None = Field(
        default=None, description="the deadline by the report type's rule; None on reports from before it"
    )
    version: int = 1
    needs_index: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "reports"
        indexes = [
            IndexModel(
                [("region_code", ASCENDING), ("type", ASCENDING), ("period_key", ASCENDING)],
                unique=True,
                name="one_report_per_region_period",
            ),
            IndexModel([("region_path", ASCENDING), ("type", ASCENDING), ("created_at", DESCENDING)]),
            IndexModel([("status", ASCENDING), ("due_at", ASCENDING)]),
            key_index("report_idempotency_key"),
            IndexModel([("needs_index", ASCENDING)]),
            # `updatedSince` (hub.sync.since): changes in order, all of them and within a reader's regions.
            IndexModel([("updated_at", ASCENDING), ("_id", ASCENDING)]),
            IndexModel([("region_path", ASCENDING), ("updated_at", ASCENDING), ("_id", ASCENDING)]),
        ]
