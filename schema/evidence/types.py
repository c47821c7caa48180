"""The GraphQL view of evidence pieces (hub.evidence): what a document is evidence of, the rule it must
meet, the worker's check with the passage found, and a reviewer's verdict."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import strawberry
from strawberry import relay

from hub.access.scope import scope_to_mongo
from hub.core.ids import object_ids
from hub.evidence.errors import EvidenceErrorCode as EvidenceErrorCodeModel
from hub.evidence.models import EvidencePiece
from hub.evidence.models import ReviewState as ReviewStateModel
from hub.evidence.review import Decision as DecisionModel
from hub.evidence.rules import EvidenceRule as EvidenceRuleModel
from hub.evidence.rules import Outcome as OutcomeModel
from schema.access.actors import ACTOR_DESCRIPTION, actor
from schema.access.types import User
from schema.completeness.types import Requirement
from schema.context import Info
from schema.describe import ERROR_CODE, ERROR_FIELD, ERROR_MESSAGE, enum_type, error_codes
from schema.documents.types import Document, DocumentCategory
from schema.fields import field
from schema.regions.types import Region

if TYPE_CHECKING:
    from schema.reports.types import Report

enum_type(
    OutcomeModel,
    name="EvidenceCheckState",
    description="The worker's check of a piece of evidence against what valid evidence is.",
    values={
        "PENDING": "Not checked yet: its document's text is still being read.",
        "PASSED": "Of the expected category, and its text shows every expected phrase and number.",
        "FAILED": "Not valid evidence: `checkReason` says why (wrong category, a phrase or number "
        "missing, no readable text, in the trash, refused by processing).",
    },
)
enum_type(
    ReviewStateModel,
    name="EvidenceReviewState",
    description="A reviewer's verdict on a piece of evidence.",
    values={
        "UNREVIEWED": "No reviewer has looked at it yet.",
        "CONFIRMED": "A reviewer confirmed it as valid evidence.",
        "REJECTED": "A reviewer rejected it (`reviewReason` says why).",
    },
)
enum_type(
    DecisionModel,
    name="EvidenceDecision",
    description="What a reviewer decides about a piece of evidence.",
    values={"CONFIRM": "It is valid evidence.", "REJECT": "It is not valid evidence (a reason is required)."},
)
error_codes(
    EvidenceErrorCodeModel,
    name="EvidenceErrorCode",
    noun="evidence",
    values={
        "EVIDENCE_NOT_FOUND": "No piece of evidence you can see has this id (or the region does not exist).",
        "REASON_REQUIRED": "A rejection needs its reason.",
        "INVALID_REASON": "The reason is longer than 1000 characters.",
        "CONFLICT": "The piece changed meanwhile: read it again, then retry.",
    },
)
EvidenceCheckState: TypeAlias = OutcomeModel
EvidenceReviewState: TypeAlias = ReviewStateModel
EvidenceDecision: TypeAlias = DecisionModel
EvidenceErrorCode: TypeAlias = EvidenceErrorCodeModel


@strawberry.type(description="What valid evidence is: its category and what its text must show.")
class EvidenceRule:
    category: DocumentCategory | None = strawberry.field(
        description="The document category expected; null when any will do."
    )
    phrases: list[str] = strawberry.field(
        description="Phrases its text must contain, each (compared without case or line breaks)."
    )
    number_pattern: str | None = strawberry.field(
        description="A number its text must bear, as a pattern of the linear-time subset: characters, "
        "classes (`[0-9./-]`, `\\d`, `\\w`, `\\s`), anchors and their repetitions (which never give "
        "characters back)."
    )

    @classmethod
    def of(cls, rule: EvidenceRuleModel) -> EvidenceRule:
        return cls(category=rule.category, phrases=list(rule.phrases), number_pattern=rule.number_pattern)


@strawberry.type(
    description="A piece of evidence: one document attached as evidence of an indicator of a report, or of "
    "a document requirement of a period; checked by the hub against what valid evidence is, and confirmed or "
    "rejected by a reviewer."
)
class Evidence(relay.Node):
    evidence_id: relay.NodeID[str]
    indicator_code: str | None = strawberry.field(description="The indicator of `report` it supports.")
    period: str | None = strawberry.field(description="The period (`2026-Q1`) it is evidence for.")
    rule: EvidenceRule = strawberry.field(description="What valid evidence of it is.")
    check: EvidenceCheckState = strawberry.field(description="The outcome of the hub's check of its text.")
    check_reason: str | None = strawberry.field(description="Why it passed or failed, in words.")
    passage: str | None = strawberry.field(
        description="The text around what the check found (the number, or the first phrase)."
    )
    checked_at: datetime | None = strawberry.field(description="When it was last checked.")
    review: EvidenceReviewState = strawberry.field(description="A reviewer's verdict.")
    review_reason: str | None = strawberry.field(description="The reviewer's reason.")
    reviewed_at: datetime | None = strawberry.field(description="When it was reviewed.")
    document_id: strawberry.Private[str]
    report_id: strawberry.Private[str | None]
    requirement_id: strawberry.Private[str | None]
    region_code: strawberry.Private[str]
    reviewed_by: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, piece: EvidencePiece) -> Evidence:
        return cls(
            evidence_id=str(piece.id),
            indicator_code=piece.indicator_code,
            period=piece.period_key,
            rule=EvidenceRule.of(piece.rule),
            check=piece.check,
            check_reason=piece.check_reason,
            passage=piece.passage,
            checked_at=piece.checked_at,
            review=piece.review,
            review_reason=piece.review_reason,
            reviewed_at=piece.reviewed_at,
            document_id=str(piece.document_id),
            report_id=str(piece.report_id) if piece.report_id else None,
            requirement_id=str(piece.requirement_id) if piece.requirement_id else None,
            region_code=piece.region_code,
            reviewed_by=piece.reviewed_by,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        wanted = list(node_ids)
        criteria = {
            "$and": [{"_id": {"$in": object_ids(wanted)}}, scope_to_mongo(info.context.principal.scope)]
        }
        found = {str(piece.id): piece for piece in await EvidencePiece.find(criteria).to_list()}
        return [cls.from_model(found[value]) if value in found else None for value in wanted]

    @field(description="The document; null when it is in the trash or out of your sight.")
    async def document(self, info: Info) -> Document | None:
        found = await info.context.loaders.document.load(self.document_id)
        return Document.from_model(found) if found is not None else None

    @field(description="The report it is evidence for, when it supports an indicator.")
    async def report(self, info: Info) -> Annotated[Report, strawberry.lazy("schema.reports.types")] | None:
        from schema.reports.types import Report

        found = await info.context.loaders.report.load(self.report_id) if self.report_id else None
        return Report.from_model(found) if found is not None else None

    @field(description="The document requirement it is evidence for, when it is one.")
    async def requirement(self, info: Info) -> Requirement | None:
        if self.requirement_id is None:
            return None
        found = await info.context.loaders.requirement.load(self.requirement_id)
        return Requirement.from_model(found) if found is not None else None

    @field(description="The region whose evidence it is.")
    async def region(self, info: Info) -> Region:
        region = await info.context.loaders.region.load(self.region_code)
        if region is None:
            raise LookupError(f"region {self.region_code} of evidence {self.evidence_id} is missing")
        return Region.from_model(region)

    @field(description=f"Who reviewed it; {ACTOR_DESCRIPTION}")
    def reviewer(self, info: Info) -> User | None:
        return actor(info, self.reviewed_by)  # type: ignore[return-value]  # or an awaitable of it


@strawberry.type(description="Why an evidence mutation did nothing.")
class EvidenceError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: EvidenceErrorCode = strawberry.field(description=ERROR_CODE)


@strawberry.type(description="A page of evidence.")
class EvidenceConnection(relay.Connection[Evidence]):
    total_count: int = strawberry.field(description="How many pieces match, over all pages.")

    @field(description="The pieces of this page, without edges.")
    def nodes(self) -> list[Evidence]:
        return [edge.node for edge in self.edges]
