from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from beanie import Document, PydanticObjectId
from pydantic import BaseModel, Field
from pymongo import ASCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow
from hub.core.idempotency import random_key
from hub.reports.models import RiskLevel


class CaseCategory(StrEnum):
    LOGISTICS = "logistics"
    NPHD = "nphd"  # regional grant agreement for KPU/Bawaslu
    SECURITY = "security"
    PERSONNEL = "personnel"
    POPULATION_DATA = "population_data"
    NEUTRALITY = "neutrality"
    OTHER = "other"


class CaseStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


class FollowUp(BaseModel):
    actor: str
    at: datetime = Field(default_factory=utcnow)
    note: str
    evidence: list[str] = Field(default_factory=list, description="document ids")
    client_mutation_id: str | None = Field(default=None, description="a retried follow-up adds nothing")


class Escalation(BaseModel):
    at: datetime = Field(default_factory=utcnow)
    from_region: str
    to_region: str
    reason: str


class Resolution(BaseModel):
    actor: str
    at: datetime = Field(default_factory=utcnow)
    note: str
    evidence: list[str] = Field(default_factory=list)


class Case(Audited, Document):
    """An obstacle with an owner and a deadline. `region_path` is the owning region's path (the scope key);
    `escalated_to` is the region above that was alerted when it became overdue."""

    region_code: str
    region_path: list[str]
    title: str
    description: str
    category: CaseCategory
    severity: RiskLevel
    status: CaseStatus = CaseStatus.OPEN
    source_report_id: PydanticObjectId | None = None
    source_indicator: str | None = None
    election_id: PydanticObjectId | None = None
    stage_code: str | None = None
    due_at: datetime
    assignee_id: PydanticObjectId | None = None
    opened_by: str
    follow_ups: list[FollowUp] = Field(default_factory=list)
    escalations: list[Escalation] = Field(default_factory=list)
    escalated_to: str | None = None
    resolution: Resolution | None = None
    client_mutation_id: str | None = None
    # hub.core.idempotency: unique, so a retried creation is race-free. The index predates the shared kernel
    # and is not sparse: every case has had a key from the start.
    idempotency_key: str = Field(default_factory=random_key)
    version: int = 1
    needs_index: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "cases"
        indexes = [
            IndexModel([("region_path", ASCENDING), ("status", ASCENDING), ("due_at", ASCENDING)]),
            IndexModel([("source_report_id", ASCENDING)]),
            IndexModel([("status", ASCENDING), ("due_at", ASCENDING)]),
            IndexModel([("client_mutation_id", ASCENDING)]),
            IndexModel([("idempotency_key", ASCENDING)], unique=True, name="case_idempotency_key"),
            IndexModel([("due_at", ASCENDING), ("_id", ASCENDING)]),
            IndexModel([("created_at", ASCENDING), ("_id", ASCENDING)]),
            # `updatedSince` (hub.sync.since): changes in order, all of them and within a reader's regions.
            IndexModel([("updated_at", ASCENDING), ("_id", ASCENDING)]),
            IndexModel([("region_path", ASCENDING), ("updated_at", ASCENDING), ("_id", ASCENDING)]),
        ]
