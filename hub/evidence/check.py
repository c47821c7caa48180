"""The worker's check of a document's evidence: reload the document and its pieces by id, judge each piece
against its rule (hub.evidence.rules), and record what changed with the passage that was found.

Safe to run twice: a piece whose verdict and checked revision are unchanged is not written again, and each
write is conditional on the piece's version read. Runs after text extraction (so OCR text arriving after a
document was attached is checked) and whenever the document or what it is attached to changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.core.clock import utcnow
from hub.core.ids import object_id
from hub.documents.models import DocumentState, StoredDocument
from hub.evidence.attach import attach_requirement_evidence
from hub.evidence.models import EvidencePiece
from hub.evidence.rules import Outcome, Verdict, judge


@dataclass(frozen=True)
class CheckRun:
    pieces: int = 0  # looked at
    written: int = 0  # whose verdict changed
    made: int = 0  # new requirement pieces


def verdict_for(piece: EvidencePiece, document: StoredDocument | None) -> Verdict:
    if document is None:
        return Verdict(Outcome.FAILED, "the document no longer exists")
    if document.in_trash:
        return Verdict(Outcome.FAILED, "the document is in the trash")
    if document.state is DocumentState.REJECTED:
        return Verdict(Outcome.FAILED, f"processing refused the file: {document.rejection_reason}")
    if piece.requirement_id is not None and document.period_key != piece.period_key:
        now_for = document.period_key or "no period"
        return Verdict(Outcome.FAILED, f"the document is now evidence for {now_for}")
    return judge(
        piece.rule,
        category=document.category,
        text=document.text,
        text_read=document.state is not DocumentState.STORED,
    )


async def check_document_evidence(document_id: str) -> CheckRun:
    oid = object_id(document_id)
    if oid is None:
        return CheckRun()
    document = await StoredDocument.get(oid)
    made = await attach_requirement_evidence(document) if document is not None else 0
    pieces = await EvidencePiece.find({"document_id": oid}).to_list()
    revision = document.revision if document is not None else None
    written = 0
    collection = EvidencePiece.get_pymongo_collection()
    for piece in pieces:
        verdict = verdict_for(piece, document)
        now_recorded = (piece.check, piece.check_reason, piece.passage, piece.checked_revision)
        if now_recorded == (verdict.outcome, verdict.reason, verdict.passage, revision):
            continue
        now = utcnow()
        result = await collection.update_one(
            {"_id": piece.id, "version": piece.version},
            {
                "$set": {
                    "check": verdict.outcome.value,
                    "check_reason": verdict.reason,
                    "passage": verdict.passage,
                    "checked_at": now,
                    "checked_revision": revision,
                    "updated_at": now,
                },
                "$inc": {"version": 1},
            },
        )
        # A piece changed meanwhile (a review) is left: that change asks for its own check.
        written += result.modified_count
    return CheckRun(pieces=len(pieces), written=written, made=made)


async def check_stale_evidence(older_than: datetime, limit: int) -> int:
    """For the sweep: checks the documents of pieces still PENDING since before `older_than` (a check message
    lost, or a requirement made after they were attached); how many documents were checked."""
    criteria = {"check": Outcome.PENDING.value, "updated_at": {"$lt": older_than}}
    document_ids = await EvidencePiece.get_pymongo_collection().distinct("document_id", criteria)
    for document_id in document_ids[:limit]:
        await check_document_evidence(str(document_id))
    return len(document_ids[:limit])
