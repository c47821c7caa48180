"""Requirements (admins define them) and completeness (computed from reports and documents, in bulk)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from beanie import PydanticObjectId, SortDirection
from bson.errors import InvalidId
from pymongo.errors import DuplicateKeyError

from hub.access.scope import Scope
from hub.audit.linker import complete_insert
from hub.audit.pending import attach_pending
from hub.completeness.compute import Cell
from hub.completeness.errors import CompletenessError, CompletenessErrorCode
from hub.completeness.facts import Facts, load_facts, period_start
from hub.completeness.models import Requirement, RequirementKind
from hub.core.paging import Keyset, Page, Position
from hub.documents.models import DocumentCategory
from hub.evidence.rules import RuleError, check_pattern, check_phrases
from hub.i18n import Text
from hub.regions.models import Region, RegionLevel
from hub.reports.models import ReportType

__all__ = ["Facts", "load_facts", "period_start"]


async def create_requirement(
    *,
    actor: str,
    period_key: str,
    kind: RequirementKind,
    levels: list[RegionLevel],
    due_at: datetime,
    title: str,
    report_type: ReportType | None = None,
    document_category: DocumentCategory | None = None,
    evidence_phrases: list[str] | None = None,
    evidence_pattern: str | None = None,
) -> Requirement:
    start = period_start(period_key)
    phrases, pattern = checked_expectations(kind, evidence_phrases, evidence_pattern)
    if (kind is RequirementKind.REPORT) != (report_type is not None) or (
        kind is RequirementKind.DOCUMENT
    ) != (document_category is not None):
        raise CompletenessError(
            CompletenessErrorCode.INVALID_REQUIREMENT,
            Text("completeness.requirement_kind"),
            "kind",
        )
    if not levels or RegionLevel.NATIONAL in levels:
        raise CompletenessError(
            CompletenessErrorCode.INVALID_REQUIREMENT, Text("completeness.requirement_levels"), "levels"
        )
    if due_at < start:
        raise CompletenessError(
            CompletenessErrorCode.INVALID_REQUIREMENT, Text("completeness.due_before_period"), "dueAt"
        )
    if not title.strip():
        raise CompletenessError(
            CompletenessErrorCode.INVALID_REQUIREMENT, Text("completeness.title_required"), "title"
        )
    subject = (report_type or document_category).value  # type: ignore[union-attr]
    ordered = sorted({level.value for level in levels})
    requirement = Requirement(
        period_key=period_key,
        kind=kind,
        report_type=report_type,
        document_category=document_category,
        levels=[RegionLevel(level) for level in ordered],
        due_at=due_at,
        title=title.strip(),
        evidence_phrases=phrases,
        evidence_pattern=pattern,
        key=f"{period_key}|{kind.value}|{subject}|{','.join(ordered)}",
        created_by=actor,
    )
    audit = attach_pending(requirement, actor, "requirement.create", "Requirement", {"key": requirement.key})
    try:
        await requirement.insert()
    except DuplicateKeyError:
        raise CompletenessError(
            CompletenessErrorCode.DUPLICATE_REQUIREMENT,
            Text("completeness.duplicate_requirement", period_key=period_key),
            "kind",
        ) from None
    await complete_insert(requirement, audit)
    return requirement


def checked_expectations(
    kind: RequirementKind, phrases: list[str] | None, pattern: str | None
) -> tuple[list[str], str | None]:
    """What a document requirement expects of its evidence's text, checked (hub.evidence.rules)."""
    if (phrases or pattern) and kind is not RequirementKind.DOCUMENT:
        raise CompletenessError(
            CompletenessErrorCode.INVALID_REQUIREMENT,
            "only document requirements state what their evidence's text shows",
            "evidence",
        )
    try:
        return check_phrases(phrases, "evidence.phrases"), check_pattern(pattern, "evidence.numberPattern")
    except RuleError as error:
        raise CompletenessError(CompletenessErrorCode.INVALID_REQUIREMENT, str(error), error.field) from None


async def get_requirement(requirement_id: str) -> Requirement:
    try:
        found = await Requirement.get(PydanticObjectId(requirement_id))
    except (InvalidId, TypeError, ValueError):
        found = None
    if found is None:
        raise CompletenessError(
            CompletenessErrorCode.REQUIREMENT_NOT_FOUND, Text("completeness.requirement_not_found"), "id"
        )
    return found


async def requirements_of(period_keys: list[str]) -> list[Requirement]:
    """The requirements of these periods, by period, then in the order they were made."""
    return await Requirement.find({"period_key": {"$in": period_keys}}).sort("period_key", "_id").to_list()


REQUIREMENTS_BY_PERIOD = Keyset(
    "requirements", (("period_key", SortDirection.ASCENDING), ("_id", SortDirection.ASCENDING))
)


async def list_requirements(
    period_keys: list[str], *, after: Position | None, first: int
) -> Page[Requirement]:
    """A page of the requirements of these periods, in the order of `requirements_of`."""
    return await REQUIREMENTS_BY_PERIOD.page(Requirement, {"period_key": {"$in": period_keys}}, after, first)


# Rows of the matrix, and regions that have not delivered, are listed by region code.
MATRIX_BY_REGION = Keyset("completeness-matrix", (("_id", SortDirection.ASCENDING),))
MISSING_BY_REGION = Keyset("regions-missing", (("_id", SortDirection.ASCENDING),))


@dataclass(frozen=True)
class Row:
    region: Region
    cells: list[Cell]


def _group_code(region: Region, root: str) -> str:
    """The child of `root` on the region's path, or the root itself for the root's own deliveries."""
    path = [*region.ancestors, region.id]
    index = path.index(root)
    return path[index + 1] if index + 1 < len(path) else root


async def rolled_up(scope: Scope, root: str, period_keys: list[str]) -> tuple[list[Row], list[Cell]]:
    """One row per child of `root` (its whole subtree summed), plus the root's own row when it has
    requirements of its own; and every cell under the root, for the total."""
    facts = await load_facts(scope, root, period_keys)
    by_code = {region.id: region for region in facts.regions}
    grouped: dict[str, list[Cell]] = defaultdict(list)
    everything: list[Cell] = []
    for region in facts.regions:
        cells = facts.cells_of(region)
        grouped[_group_code(region, root)].extend(cells)
        everything.extend(cells)
    rows = [
        Row(region=by_code[code], cells=cells)
        for code, cells in sorted(grouped.items())
        if code in by_code and (cells or code != root)
    ]
    return rows, everything


async def matrix(scope: Scope, root: str, period_keys: list[str]) -> tuple[list[Requirement], list[Row]]:
    """Regions by requirements: each region under `root` that owes anything, with one cell per requirement."""
    facts = await load_facts(scope, root, period_keys)
    rows = [Row(region=region, cells=cells) for region in facts.regions if (cells := facts.cells_of(region))]
    return facts.requirements, rows


async def missing(scope: Scope, requirement: Requirement, root: str) -> list[Region]:
    """Who has not delivered this requirement yet, under `root` and within the scope."""
    facts = await load_facts(scope, root, [requirement.period_key])
    wanted = str(requirement.id)
    return [
        region
        for region in facts.regions
        if region.level in requirement.levels and (wanted, region.id) not in facts.deliveries
    ]
