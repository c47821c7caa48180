"""A reviewer's verdict on one piece of evidence: confirmed or rejected, with a reason (required to reject).

Who reviews a region's evidence is who reviews its reports (hub.reports.workflow.is_reviewer_of: the parent
region's coordinator for a regency or city, central reviewers for a province), and central reviewers and
admins everywhere. A piece outside the principal's scope answers EVIDENCE_NOT_FOUND, as if it did not exist.
One conditional update on the version read, with an audit entry holding the verdict before and after; the
same verdict given again by the same reviewer answers the piece unchanged (a retried request).
"""

from __future__ import annotations

from enum import StrEnum

from hub.access.principal import Principal
from hub.access.roles import Role
from hub.audit.linker import complete
from hub.audit.pending import pending_entry, push_pending
from hub.core.clock import utcnow
from hub.core.ids import object_id
from hub.evidence.errors import EvidenceError, EvidenceErrorCode
from hub.evidence.models import EvidencePiece, ReviewState
from hub.reports.workflow import is_reviewer_of

MAX_REASON = 1000


class Decision(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"


async def visible_piece(principal: Principal, piece_id: str, field: str = "id") -> EvidencePiece:
    oid = object_id(piece_id)
    piece = await EvidencePiece.get(oid) if oid is not None else None
    if piece is None or not principal.scope.covers(piece.region_path):
        raise EvidenceError(
            EvidenceErrorCode.EVIDENCE_NOT_FOUND, "no evidence you can see has this id", field
        )
    return piece


def may_review(principal: Principal, piece: EvidencePiece) -> bool:
    if principal.is_partner:
        return False
    if principal.role in (Role.REVIEWER, Role.ADMIN):
        return True
    return is_reviewer_of(principal, piece.region_path)


async def review_evidence(
    principal: Principal, piece_id: str, decision: Decision, reason: str | None
) -> EvidencePiece:
    piece = await visible_piece(principal, piece_id)
    if not may_review(principal, piece):
        raise EvidenceError(
            EvidenceErrorCode.PERMISSION_DENIED,
            f"{principal.actor} does not review the evidence of region {piece.region_code}",
            "id",
        )
    text = " ".join((reason or "").split())
    if decision is Decision.REJECT and not text:
        raise EvidenceError(EvidenceErrorCode.REASON_REQUIRED, "say why the evidence is rejected", "reason")
    if len(text) > MAX_REASON:
        raise EvidenceError(
            EvidenceErrorCode.INVALID_REASON, f"a reason has at most {MAX_REASON} characters", "reason"
        )
    state = ReviewState.CONFIRMED if decision is Decision.CONFIRM else ReviewState.REJECTED
    if (piece.review, piece.review_reason, piece.reviewed_by) == (state, text or None, principal.actor):
        return piece  # the same verdict again: a retried request
    now = utcnow()
    audit = pending_entry(
        principal.actor,
        "evidence.review",
        f"Evidence:{piece.id}",
        {
            "document": str(piece.document_id),
            "target": piece.target,
            "before": {"review": piece.review.value, "reason": piece.review_reason},
            "after": {"review": state.value, "reason": text or None},
        },
    )
    result = await EvidencePiece.get_pymongo_collection().update_one(
        {"_id": piece.id, "version": piece.version},
        {
            "$set": {
                "review": state.value,
                "review_reason": text or None,
                "reviewed_by": principal.actor,
                "reviewed_at": now,
                "updated_at": now,
            },
            "$inc": {"version": 1},
            "$push": push_pending(audit),
        },
    )
    if result.modified_count != 1:
        raise EvidenceError(EvidenceErrorCode.CONFLICT, "the evidence changed meanwhile; try again", "id")
    await complete(EvidencePiece, piece.id, audit)
    fresh = await EvidencePiece.get(piece.id)
    assert fresh is not None
    return fresh
