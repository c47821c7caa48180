"""evidenceReview: a reviewer confirms or rejects one piece of evidence (hub.evidence.review)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.evidence.errors import EvidenceError as DomainEvidenceError
from hub.evidence.errors import EvidenceErrorCode as EvidenceErrorCodeModel
from hub.evidence.review import review_evidence
from schema.context import Info
from schema.describe import ERRORS
from schema.evidence.types import Evidence, EvidenceDecision, EvidenceError
from schema.mutations import MutationErrors

EVIDENCE_ERRORS = MutationErrors(DomainEvidenceError, EvidenceError)


@strawberry.input(description="A reviewer's verdict on a piece of evidence.")
class EvidenceReviewInput:
    decision: EvidenceDecision = strawberry.field(description="Confirm or reject it.")
    reason: str | None = strawberry.field(
        default=None, description="Why; required to reject, up to 1000 characters."
    )


@strawberry.type(description="What `evidenceReview` answers.")
class EvidenceReviewPayload:
    evidence: Evidence | None = strawberry.field(description="The piece with its verdict.")
    errors: list[EvidenceError] = strawberry.field(description=ERRORS)


async def evidence_review(
    info: Info,
    id: Annotated[relay.GlobalID, strawberry.argument(description="The piece of evidence (an Evidence id).")],
    input: Annotated[EvidenceReviewInput, strawberry.argument(description="The verdict and its reason.")],
) -> EvidenceReviewPayload:
    """Confirm or reject a piece of evidence; who reviews the region's reports (and central reviewers and
    admins) may. Audited with the verdict before and after."""
    try:
        raw = EVIDENCE_ERRORS.raw_id(id, "Evidence", EvidenceErrorCodeModel.EVIDENCE_NOT_FOUND, "id")
        piece = await review_evidence(info.context.principal, raw, input.decision, input.reason)
    except DomainEvidenceError as error:
        return EvidenceReviewPayload(evidence=None, errors=EVIDENCE_ERRORS.typed(error))
    return EvidenceReviewPayload(evidence=Evidence.from_model(piece), errors=[])
