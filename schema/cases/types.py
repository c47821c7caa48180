from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.cases.errors import CaseErrorCode as CaseErrorCodeModel
from hub.cases.listing import CaseOrder as CaseOrderModel
from hub.cases.models import Case as CaseModel
from hub.cases.models import CaseCategory as CaseCategoryModel
from hub.cases.models import CaseStatus as CaseStatusModel
from hub.cases.rules import can_write, is_overdue
from schema.access.types import User
from schema.context import Info
from schema.documents.types import Document
from schema.fields import field
from schema.regions.types import Region
from schema.reports.types import Report, RiskLevel

strawberry.enum(CaseCategoryModel, name="CaseCategory")
strawberry.enum(CaseStatusModel, name="CaseStatus", description="open → in progress → resolved.")
strawberry.enum(CaseErrorCodeModel, name="CaseErrorCode")
strawberry.enum(
    CaseOrderModel, name="CaseOrder", description="Each order breaks ties by id: pages are stable."
)
CaseCategory: TypeAlias = CaseCategoryModel
CaseStatus: TypeAlias = CaseStatusModel
CaseErrorCode: TypeAlias = CaseErrorCodeModel
CaseOrder: TypeAlias = CaseOrderModel


@strawberry.type(description="Why a case mutation did nothing.")
class CaseError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str
    code: CaseErrorCode


async def _region(info: Info, code: str) -> Region:
    region = await info.context.loaders.region.load(code)
    if region is None:
        raise LookupError(f"region {code} is missing")
    return Region.from_model(region)


async def _documents(info: Info, ids: list[str]) -> list[Document]:
    """Evidence the viewer may see; documents outside the viewer's scope are left out."""
    found = await info.context.loaders.document.load_many(ids)
    return [Document.from_model(document) for document in found if document is not None]


@strawberry.type(description="One follow-up action (tindak lanjut) taken on a case.")
class CaseFollowUp:
    actor: str = strawberry.field(description="Who recorded it, as `user:<username>`.")
    at: datetime
    note: str
    evidence_ids: strawberry.Private[list[str]]

    @field(description="Supporting documents; those outside your scope are left out.")
    async def evidence(self, info: Info) -> list[Document]:
        return await _documents(info, self.evidence_ids)


@strawberry.type(description="The case became overdue and the region above was alerted.")
class CaseEscalation:
    at: datetime
    reason: str
    from_code: strawberry.Private[str]
    to_code: strawberry.Private[str]

    @field(description="The level the case was at.")
    async def from_region(self, info: Info) -> Region:
        return await _region(info, self.from_code)

    @field(description="The level above, which was alerted.")
    async def to_region(self, info: Info) -> Region:
        return await _region(info, self.to_code)


@strawberry.type(description="How a case was resolved.")
class CaseResolution:
    actor: str
    at: datetime
    note: str
    evidence_ids: strawberry.Private[list[str]]

    @field(description="Supporting documents; those outside your scope are left out.")
    async def evidence(self, info: Info) -> list[Document]:
        return await _documents(info, self.evidence_ids)


@strawberry.type(description="An obstacle (kendala) with an owning region, a due date and its follow-up.")
class Case(relay.Node):
    case_id: relay.NodeID[str]
    title: str
    description: str
    category: CaseCategory
    severity: RiskLevel
    status: CaseStatus
    source_indicator: str | None = strawberry.field(description="The report indicator it was raised from.")
    stage_code: str | None = strawberry.field(description="The election stage it concerns.")
    due_at: datetime = strawberry.field(description="Extended by the grace period at each escalation.")
    opened_by: str = strawberry.field(description="Who opened it, as `user:<username>`.")
    created_at: datetime
    updated_at: datetime
    version: int = strawberry.field(description="Grows with every change; send it as `expectedVersion`.")
    model: strawberry.Private[CaseModel]

    @classmethod
    def from_model(cls, case: CaseModel) -> Case:
        return cls(
            case_id=str(case.id),
            title=case.title,
            description=case.description,
            category=case.category,
            severity=case.severity,
            status=case.status,
            source_indicator=case.source_indicator,
            stage_code=case.stage_code,
            due_at=case.due_at,
            opened_by=case.opened_by,
            created_at=case.created_at,
            updated_at=case.updated_at,
            version=case.version,
            model=case,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await info.context.loaders.case.load_many(list(node_ids))
        return [cls.from_model(case) if case else None for case in found]

    @field(description="The owning region.")
    async def region(self, info: Info) -> Region:
        return await _region(info, self.model.region_code)

    @field(description="The report it was raised from (a Report id), if any.")
    def source_report_id(self) -> relay.GlobalID | None:
        report_id = self.model.source_report_id
        return relay.GlobalID("Report", str(report_id)) if report_id is not None else None

    @field(description="The report the case was opened from, if the viewer may see it.")
    async def source_report(self, info: Info) -> Report | None:
        report_id = self.model.source_report_id
        if report_id is None:
            return None
        report = await info.context.loaders.report.load(str(report_id))
        return Report.from_model(report) if report else None

    @field(description="Not resolved and past its due date.")
    def overdue(self) -> bool:
        return is_overdue(self.model.status, self.model.due_at, datetime.now(UTC))

    @field(description="The highest region alerted so far because the case was overdue.")
    async def escalated_to(self, info: Info) -> Region | None:
        code = self.model.escalated_to
        return await _region(info, code) if code else None

    @field(description="Each escalation, oldest first.")
    def escalations(self) -> list[CaseEscalation]:
        return [
            CaseEscalation(
                at=entry.at, reason=entry.reason, from_code=entry.from_region, to_code=entry.to_region
            )
            for entry in self.model.escalations
        ]

    @field(description="Follow-up entries, oldest first.")
    def follow_ups(self) -> list[CaseFollowUp]:
        return [
            CaseFollowUp(actor=entry.actor, at=entry.at, note=entry.note, evidence_ids=entry.evidence)
            for entry in self.model.follow_ups
        ]

    @field(description="Set once the case is resolved.")
    def resolution(self) -> CaseResolution | None:
        done = self.model.resolution
        if done is None:
            return None
        return CaseResolution(actor=done.actor, at=done.at, note=done.note, evidence_ids=done.evidence)

    @field(description="Who works on it now.")
    async def assignee(self, info: Info) -> User | None:
        if self.model.assignee_id is None:
            return None
        user = await info.context.loaders.user.load(str(self.model.assignee_id))
        return User.from_model(user) if user else None

    @field(description="Whether the viewer may add follow-ups to, assign and resolve this case.")
    def viewer_can_resolve(self, info: Info) -> bool:
        return self.model.status is not CaseStatusModel.RESOLVED and can_write(
            info.context.principal, self.model.region_path
        )


@strawberry.type(description="A page of cases.")
class CaseConnection(relay.Connection[Case]):
    total_count: int = strawberry.field(description="How many cases match, over all pages.")

    @field(description="The cases of this page, without edges.")
    def nodes(self) -> list[Case]:
        return [edge.node for edge in self.edges]
