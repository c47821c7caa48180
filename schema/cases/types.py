from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TypeAlias

import strawberry
from beanie import PydanticObjectId
from strawberry import relay

from hub.cases.errors import CaseErrorCode as CaseErrorCodeModel
from hub.cases.listing import CaseOrder as CaseOrderModel
from hub.cases.models import Case as CaseModel
from hub.cases.models import CaseCategory as CaseCategoryModel
from hub.cases.models import CaseStatus as CaseStatusModel
from hub.cases.rules import can_write, is_overdue
from schema.access.actors import ACTOR_DESCRIPTION, actor, sees_account
from schema.access.types import User
from schema.connection import After, Before, First, Last
from schema.context import Info
from schema.describe import ERROR_CODE, ERROR_FIELD, ERROR_MESSAGE, enum_type, error_codes
from schema.documents.types import Document, visible_documents
from schema.fields import field
from schema.regions.types import Region
from schema.reports.types import Report, RiskLevel
from schema.threads.thread import thread
from schema.threads.types import CommentConnection

enum_type(
    CaseCategoryModel,
    name="CaseCategory",
    description="What an obstacle (kendala) is about.",
    values={
        "LOGISTICS": "Election logistics: ballots, boxes, their delivery.",
        "NPHD": "The regional grant agreement (NPHD) that funds the local KPU or Bawaslu: unsigned, short, "
        "or not disbursed.",
        "SECURITY": "Security and public order.",
        "PERSONNEL": "Staff, the monitoring team (Tim Pemantauan), facilities.",
        "POPULATION_DATA": "Population data (data kependudukan) for the voter list.",
        "NEUTRALITY": "Civil servants' neutrality in elections (netralitas ASN).",
        "OTHER": "Anything else.",
    },
)
enum_type(
    CaseStatusModel,
    name="CaseStatus",
    description="Where a case stands: OPEN → IN_PROGRESS → RESOLVED.",
    values={
        "OPEN": "Opened; nobody has acted on it yet.",
        "IN_PROGRESS": "Assigned or followed up, not resolved yet.",
        "RESOLVED": "Resolved, with a note and supporting documents; it takes no more changes.",
    },
)
error_codes(
    CaseErrorCodeModel,
    name="CaseErrorCode",
    noun="case",
    values={
        "CASE_NOT_FOUND": "No case has this id, or it is outside what you may see (the two answer alike).",
        "REGION_REQUIRED": "Give the case's region, or the report it comes from.",
        "INDICATOR_NOT_FOUND": "The source report's template has no indicator with this code.",
        "SOURCE_REPORT_REQUIRED": "An indicator was given without the report it belongs to.",
        "INVALID_TITLE": "The title is empty or longer than 200 characters.",
        "INVALID_TEXT": "A text (description or note) is too long.",
        "INVALID_DUE_DATE": "The due date is not in the future.",
        "NOTE_REQUIRED": "A follow-up or resolution needs a note.",
        "TOO_MUCH_EVIDENCE": "At most 20 supporting documents at a time.",
        "USER_NOT_FOUND": "The assignee is not an active account that may work on this case (every such "
        "refusal answers alike, naming nobody).",
        "INVALID_ASSIGNEE": "The assignee cannot be given this case.",
        "CASE_RESOLVED": "The case is resolved; it takes no more changes.",
    },
)
enum_type(
    CaseOrderModel,
    name="CaseOrder",
    description="The order of a list of cases; each breaks ties by id, so pages are stable.",
    values={
        "DUE_AT_ASC": "The earliest due date first.",
        "DUE_AT_DESC": "The latest due date first.",
        "CREATED_AT_ASC": "The oldest first.",
        "CREATED_AT_DESC": "The newest first.",
    },
)
CaseCategory: TypeAlias = CaseCategoryModel
CaseStatus: TypeAlias = CaseStatusModel
CaseErrorCode: TypeAlias = CaseErrorCodeModel
CaseOrder: TypeAlias = CaseOrderModel


@strawberry.type(description="Why a case mutation did nothing.")
class CaseError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: CaseErrorCode = strawberry.field(description=ERROR_CODE)


async def _region(info: Info, code: str) -> Region:
    region = await info.context.loaders.region.load(code)
    if region is None:
        raise LookupError(f"region {code} is missing")
    return Region.from_model(region)


EVIDENCE = "Supporting documents (data dukung); those in the trash or outside your scope are left out."


@strawberry.type(description="One follow-up action (tindak lanjut) taken on a case.")
class CaseFollowUp:
    actor_text: strawberry.Private[str]
    at: datetime = strawberry.field(description="When it was recorded.")
    note: str = strawberry.field(description="What was done.")
    evidence_ids: strawberry.Private[list[str]]

    @field(description=f"Who recorded it; {ACTOR_DESCRIPTION}")
    def actor(self, info: Info) -> User | None:
        return actor(info, self.actor_text)  # type: ignore[return-value]  # or an awaitable of it

    @field(description=EVIDENCE)
    async def evidence(self, info: Info) -> list[Document]:
        return await visible_documents(info, self.evidence_ids)


@strawberry.type(description="The case became overdue and the region above was alerted.")
class CaseEscalation:
    at: datetime = strawberry.field(description="When it was escalated.")
    reason: str = strawberry.field(description="Why, in words.")
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
    actor_text: strawberry.Private[str]
    at: datetime = strawberry.field(description="When it was resolved.")
    note: str = strawberry.field(description="How it was resolved.")
    evidence_ids: strawberry.Private[list[str]]

    @field(description=f"Who resolved it; {ACTOR_DESCRIPTION}")
    def actor(self, info: Info) -> User | None:
        return actor(info, self.actor_text)  # type: ignore[return-value]  # or an awaitable of it

    @field(description=EVIDENCE)
    async def evidence(self, info: Info) -> list[Document]:
        return await visible_documents(info, self.evidence_ids)


@strawberry.type(
    description="An obstacle (kendala) with an owning region, a due date and its follow-up (tindak lanjut); "
    "escalated to the region above when overdue."
)
class Case(relay.Node):
    case_id: relay.NodeID[str]
    title: str = strawberry.field(description="What the obstacle is, in a line.")
    description: str = strawberry.field(description="The obstacle in detail; may be empty.")
    category: CaseCategory = strawberry.field(description="What it is about.")
    severity: RiskLevel = strawberry.field(description="How serious it is.")
    status: CaseStatus = strawberry.field(description="Where it stands.")
    source_indicator: str | None = strawberry.field(description="The report indicator it was raised from.")
    stage_code: str | None = strawberry.field(description="The election stage (tahapan) it concerns.")
    due_at: datetime = strawberry.field(description="Extended by the grace period at each escalation.")
    opener: strawberry.Private[str]
    created_at: datetime = strawberry.field(description="When it was opened.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
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
            opener=case.opened_by,
            created_at=case.created_at,
            updated_at=case.updated_at,
            version=case.version,
            model=case,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await info.context.loaders.case.load_many(list(node_ids))
        return [cls.from_model(case) if case else None for case in found]

    @field(description=f"Who opened it; {ACTOR_DESCRIPTION}")
    def opened_by(self, info: Info) -> User | None:
        return actor(info, self.opener)  # type: ignore[return-value]  # or an awaitable of it

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

    @field(
        description="The discussion of this case, oldest first: comments by staff who may read it (never "
        "partner grants)."
    )
    async def comments(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> CommentConnection:
        return await thread(info, PydanticObjectId(self.case_id), first, after, last, before)

    @field(description="Follow-up entries, oldest first.")
    def follow_ups(self) -> list[CaseFollowUp]:
        return [
            CaseFollowUp(actor_text=entry.actor, at=entry.at, note=entry.note, evidence_ids=entry.evidence)
            for entry in self.model.follow_ups
        ]

    @field(description="Set once the case is resolved.")
    def resolution(self) -> CaseResolution | None:
        done = self.model.resolution
        if done is None:
            return None
        return CaseResolution(actor_text=done.actor, at=done.at, note=done.note, evidence_ids=done.evidence)

    @field(description="Who works on it now; null when nobody, or an account you may not see.")
    async def assignee(self, info: Info) -> User | None:
        if self.model.assignee_id is None:
            return None
        user = await info.context.loaders.user.load(str(self.model.assignee_id))
        return User.from_model(user) if user and sees_account(info.context.principal, user) else None

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
