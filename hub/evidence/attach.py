"""Which documents are evidence of what: one piece per document and thing it is evidence of.

- A report's indicator: every document the report cites for it (`Report.evidence`), with the rule of the
  indicator in the report's template. Pieces follow the report: cited documents get one, documents no longer
  cited lose theirs.
- A document requirement of a period: a document that names the period (`period_key`), of the requirement's
  category, in a region of a level the requirement applies to. A piece stays when the document's category or
  period changes afterwards, so the check then fails and says why.

New pieces start PENDING; the worker checks them (hub.evidence.check).
"""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError

from hub.completeness.models import Requirement, RequirementKind
from hub.dispatch import request_evidence_check
from hub.documents.models import StoredDocument
from hub.evidence.models import EvidencePiece, report_target, requirement_target
from hub.evidence.rules import EvidenceRule
from hub.regions.services import get_region
from hub.reports.models import Report
from hub.reports.templates import evidence_rule, template_version


async def _insert(piece: EvidencePiece) -> bool:
    try:
        await piece.insert()
    except DuplicateKeyError:  # made meanwhile by another run: the same piece
        return False
    return True


async def attach_report_evidence(report: Report) -> list[str]:
    """Brings the report's pieces in line with what it cites; the ids of the documents given new pieces,
    whose check is asked for."""
    template = await template_version(report.type, report.template_version)
    cited = {(value, code) for code, values in report.evidence.items() for value in values}
    existing = await EvidencePiece.find({"report_id": report.id}).to_list()
    have = {(str(piece.document_id), piece.indicator_code or ""): piece for piece in existing}
    gone = [piece.id for key, piece in have.items() if key not in cited]
    if gone:
        await EvidencePiece.find({"_id": {"$in": gone}}).delete()
    added: set[str] = set()
    for document_id, code in sorted(cited - set(have)):
        rule = evidence_rule(template, code) if template is not None else EvidenceRule()
        piece = EvidencePiece(
            document_id=document_id,
            target=report_target(report.id, code),
            region_code=report.region_code,
            region_path=report.region_path,
            period_key=report.period.key if report.period else None,
            report_id=report.id,
            indicator_code=code,
            rule=rule,
        )
        if await _insert(piece):
            added.add(document_id)
    for document_id in sorted(added):
        await request_evidence_check(document_id)
    return sorted(added)


async def attach_requirement_evidence(document: StoredDocument) -> int:
    """Pieces for the document requirements its period and category meet; how many were made."""
    if document.period_key is None or document.in_trash:
        return 0
    region = await get_region(document.region_code)
    if region is None:
        return 0
    criteria: dict[str, Any] = {
        "kind": RequirementKind.DOCUMENT.value,
        "period_key": document.period_key,
        "document_category": document.category.value,
        "levels": region.level.value,
    }
    made = 0
    for requirement in await Requirement.find(criteria).to_list():
        piece = EvidencePiece(
            document_id=document.id,
            target=requirement_target(requirement.id),
            region_code=document.region_code,
            region_path=document.region_path,
            period_key=requirement.period_key,
            requirement_id=requirement.id,
            rule=requirement.evidence_rule,
        )
        if await EvidencePiece.find_one({"document_id": document.id, "target": piece.target}) is None:
            made += await _insert(piece)
    return made
