"""What completeness is computed from, for some periods under one region: the regions, the requirements, the
deliveries (first submissions of reports, uploads of documents) and the deadline extensions in force.

Read in two rounds of parallel queries (requirements, then reports and documents together), the deliveries as
projected raw rows (a national figure reads a few thousand; validating each into a model cost more than the
query), and joined by key instead of walking every region for every requirement.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from bson.codec_options import CodecOptions

from hub.access.scope import Scope, scope_to_mongo
from hub.completeness.compute import Cell, CellState, Delivery
from hub.completeness.documents import (
    DocumentFact,
    document_criteria,
    requirements_and_periods,
    uploads_by_period,
)
from hub.completeness.errors import CompletenessError, CompletenessErrorCode
from hub.completeness.evidence import EvidenceLoader
from hub.completeness.models import Requirement
from hub.core.regions import mongo_under
from hub.documents.models import DocumentCategory, StoredDocument
from hub.i18n import Text
from hub.regions.models import Region, RegionLevel
from hub.regions.services import region_tree
from hub.reports.extensions import Deadlines, deadlines_for
from hub.reports.models import Period, Report, ReportStatus

VERIFIED = {ReportStatus.VERIFIED.value, ReportStatus.EVALUATED.value, ReportStatus.ARCHIVED.value}
_REPORT_FIELDS = dict.fromkeys(
    ("region_code", "type", "period_key", "first_submitted_at", "status", "evidence"), 1
)
_DOCUMENT_FIELDS = {"_id": 0, "region_code": 1, "category": 1, "created_at": 1, "period_key": 1}


# Asked for every document and period a figure weighs (hub.completeness.documents): parsed once per key.
@lru_cache(maxsize=4096)
def period_start(key: str) -> datetime:
    try:
        year, quarter = key.split("-Q")
        period = Period(year=int(year), quarter=int(quarter))
    except ValueError:
        raise CompletenessError(
            CompletenessErrorCode.INVALID_PERIOD, Text("completeness.invalid_period", key=key), "period"
        ) from None
    return datetime(period.year, 3 * (period.quarter - 1) + 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class _Column:
    """A requirement as the per-region loop needs it: plain values, read once per request."""

    requirement_id: str
    period_key: str
    due_at: datetime


@dataclass
class Facts:
    """Everything completeness needs for some periods under one region."""

    regions: list[Region]
    requirements: list[Requirement]
    deliveries: dict[tuple[str, str], Delivery] = field(default_factory=dict)
    deadlines: Deadlines = field(default_factory=Deadlines)
    _columns: dict[RegionLevel, list[_Column]] | None = field(default=None, repr=False)
    _extended: frozenset[str] | None = field(default=None, repr=False)

    def due_at(self, requirement: Requirement, region: Region) -> datetime:
        """The region's deadline for the requirement: later when the region was granted an extension."""
        return self.deadlines.of(region.id, requirement.period_key, requirement.due_at)

    def _columns_of(self, level: RegionLevel) -> list[_Column]:
        if self._columns is None:
            by_level: dict[RegionLevel, list[_Column]] = defaultdict(list)
            for req in self.requirements:
                # The standard library's UTC, as the delivery dates (_FAST_DATES): compared in C.
                column = _Column(str(req.id), req.period_key, req.due_at.astimezone(UTC))
                for owed in req.levels:
                    by_level[owed].append(column)
            self._columns = dict(by_level)
        return self._columns.get(level, [])

    def _extended_regions(self) -> frozenset[str]:
        if self._extended is None:
            self._extended = frozenset(code for code, _ in self.deadlines.extended)
        return self._extended

    def cells_of(self, region: Region) -> list[Cell]:
        """The region's cells, one per requirement of its level, in the requirements' order."""
        code = region.id
        deliveries, deadlines = self.deliveries, self.deadlines
        # Most regions have no extension: their deadlines are the requirements' own.
        extended = code in self._extended_regions()
        cells = []
        for column in self._columns_of(region.level):
            due = deadlines.of(code, column.period_key, column.due_at) if extended else column.due_at
            delivery = deliveries.get((column.requirement_id, code))
            if delivery is None:
                cells.append(Cell(column.requirement_id, code, CellState.MISSING, False, None, due))
            else:
                state = CellState.ON_TIME if delivery.at <= due else CellState.LATE
                cells.append(
                    Cell(
                        column.requirement_id,
                        code,
                        state,
                        delivery.verified,
                        delivery.at,
                        due,
                        delivery.evidence_checked,
                        delivery.evidence_confirmed,
                    )
                )
        return cells


def _counts(region: Region, root: str, scope: Scope) -> bool:
    """Whether the region is counted: under `root` (or it), inside the scope, and not the nation."""
    ancestors = region.ancestors
    if region.id != root and root not in ancestors:
        return False
    if scope.region_roots is not None and not scope.covers([*ancestors, region.id]):
        return False
    return region.level is not RegionLevel.NATIONAL


# Dates decoded with the standard library's UTC: the same instants, but compared in C; bson's own UTC answers
# each comparison from a Python method, which was most of the time spent joining a national figure's rows.
_FAST_DATES: CodecOptions[dict[str, Any]] = CodecOptions(tz_aware=True, tzinfo=UTC)


async def _rows(collection: Any, criteria: dict[str, Any], fields: dict[str, int]) -> list[dict[str, Any]]:
    found = collection.with_options(codec_options=_FAST_DATES).find(criteria, fields)
    return await found.to_list(None)  # type: ignore[no-any-return]


async def load_facts(scope: Scope, root: str, period_keys: list[str]) -> Facts:
    starts = {key: period_start(key) for key in period_keys}
    (requirements, required), tree, deadlines = await asyncio.gather(
        requirements_and_periods(period_keys),
        region_tree(),
        deadlines_for(period_keys),
    )
    regions = [region for region in tree if _counts(region, root, scope)]
    facts = Facts(regions=regions, requirements=requirements)
    if not requirements or not regions:
        return facts
    facts.deadlines = deadlines
    codes = {region.id for region in regions}
    # (report type, period) and document category → the requirements asking for it, in their order.
    wants_report: dict[tuple[str, str], list[str]] = defaultdict(list)
    wants_document: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for req in requirements:
        if req.report_type is not None:
            wants_report[(req.report_type.value, req.period_key)].append(str(req.id))
        if req.document_category is not None:
            wants_document[req.document_category.value].append((str(req.id), req.period_key))
    in_scope = scope_to_mongo(scope)
    verified = EvidenceLoader([mongo_under(root), in_scope], period_keys)
    reports: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    reads = []
    if wants_report:
        criteria = {
            **mongo_under(root),
            "type": {"$in": sorted({kind for kind, _ in wants_report})},
            "period_key": {"$in": period_keys},
            "first_submitted_at": {"$ne": None},
        }
        reads.append(_rows(Report.get_pymongo_collection(), {"$and": [criteria, in_scope]}, _REPORT_FIELDS))
    if wants_document:
        criteria = {
            **mongo_under(root),
            **document_criteria(sorted(wants_document), period_keys, min(starts.values())),
        }
        collection = StoredDocument.get_pymongo_collection()
        reads.append(_rows(collection, {"$and": [criteria, in_scope]}, _DOCUMENT_FIELDS))
    found = await asyncio.gather(*reads)
    if wants_report:
        reports = found[0]
    if wants_document:
        documents = found[-1]
    # One report per region, type and period; were there two, the later one read decides, as before.
    submitted: dict[tuple[str, str, str], dict[str, Any]] = {}
    for report in reports:
        submitted[(report["region_code"], report["type"], report["period_key"])] = report
    for (region_code, kind, period_key), report in submitted.items():
        if region_code not in codes or report.get("first_submitted_at") is None:
            continue
        cited = [code for code, ids in (report.get("evidence") or {}).items() if ids]
        evidence = await verified.of_report(str(report["_id"]), cited)
        delivery = Delivery(
            report["first_submitted_at"], report["status"] in VERIFIED, evidence.checked, evidence.confirmed
        )
        for requirement_id in wants_report.get((kind, period_key), ()):
            facts.deliveries[(requirement_id, region_code)] = delivery
    # Each document counts for one period (hub.completeness.documents); rows built without validation.
    rows = (
        DocumentFact.model_construct(
            region_code=row["region_code"],
            category=DocumentCategory(row["category"]),
            created_at=row["created_at"],
            period_key=row.get("period_key"),
        )
        for row in documents
    )
    uploads = uploads_by_period(rows, required, period_start)
    for (region_code, category, period_key), times in uploads.items():
        if region_code not in codes:
            continue
        for requirement_id, wanted_period in wants_document.get(category, ()):
            if wanted_period != period_key:
                continue
            evidence = await verified.of_requirement(requirement_id, region_code)
            facts.deliveries[(requirement_id, region_code)] = Delivery(
                min(times), False, evidence.checked, evidence.confirmed
            )
    return facts
