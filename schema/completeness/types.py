from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.completeness.compute import Cell, Figures, figures
from hub.completeness.compute import CellState as CellStateModel
from hub.completeness.errors import CompletenessErrorCode as CompletenessErrorCodeModel
from hub.completeness.models import Requirement as RequirementModel
from hub.completeness.models import RequirementKind as RequirementKindModel
from hub.completeness.services import Row
from schema.connection import CURSOR, PAGE_INFO
from schema.context import Info
from schema.cost import cost
from schema.describe import ERROR_CODE, ERROR_FIELD, ERROR_MESSAGE, enum_type, error_codes
from schema.documents.types import DocumentCategory
from schema.fields import field
from schema.regions.types import Region, RegionLevel
from schema.reports.enums import ReportType
from schema.reports.parts import PERIOD_KEY

enum_type(
    RequirementKindModel,
    name="RequirementKind",
    description="What a requirement asks regions to deliver.",
    values={
        "REPORT": "A report of a type (`reportType`), submitted by the due date.",
        "DOCUMENT": "A supporting document of a category (`documentCategory`), uploaded by the due date.",
    },
)
enum_type(
    CellStateModel,
    name="DeliveryState",
    description="Whether a region delivered what a requirement asks.",
    values={
        "ON_TIME": "Delivered by the due date.",
        "LATE": "Delivered after the due date.",
        "MISSING": "Not delivered yet.",
    },
)
error_codes(
    CompletenessErrorCodeModel,
    name="CompletenessErrorCode",
    noun="requirement or completeness",
    values={
        "INVALID_REQUIREMENT": "The requirement is incomplete or contradicts itself: a REPORT needs "
        "`reportType`, a DOCUMENT `documentCategory`, and at least one level below the nation.",
        "DUPLICATE_REQUIREMENT": "The period already requires this of these levels.",
        "REQUIREMENT_NOT_FOUND": "No requirement has this id.",
    },
)
RequirementKind: TypeAlias = RequirementKindModel
DeliveryState: TypeAlias = CellStateModel
CompletenessErrorCode: TypeAlias = CompletenessErrorCodeModel


@strawberry.type(description="Why a requirement mutation did nothing.")
class CompletenessError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: CompletenessErrorCode = strawberry.field(description=ERROR_CODE)


@strawberry.type(
    description="What regions of some levels must deliver for a period, and by when: the basis of "
    "completeness (kelengkapan) and reporting rates. Reference data: every signed-in account may read it."
)
class Requirement(relay.Node):
    requirement_id: relay.NodeID[str]
    period_key: str = strawberry.field(description=PERIOD_KEY)
    kind: RequirementKind = strawberry.field(description="A report or a document.")
    report_type: ReportType | None = strawberry.field(description="REPORT: the report type required.")
    document_category: DocumentCategory | None = strawberry.field(
        description="DOCUMENT: the document category required."
    )
    levels: list[RegionLevel] = strawberry.field(description="The levels of the regions that owe it.")
    due_at: datetime = strawberry.field(description="When it is due; delivered later counts as LATE.")
    title: str = strawberry.field(description="What it is, in words.")
    evidence_phrases: list[str] = strawberry.field(
        description="DOCUMENT: phrases the text of valid evidence contains, each."
    )
    evidence_pattern: str | None = strawberry.field(
        description="DOCUMENT: a number the text of valid evidence bears, as a pattern (see EvidenceRule)."
    )

    @classmethod
    def from_model(cls, requirement: RequirementModel) -> Requirement:
        return cls(
            requirement_id=str(requirement.id),
            period_key=requirement.period_key,
            kind=requirement.kind,
            report_type=requirement.report_type,
            document_category=requirement.document_category,
            levels=list(requirement.levels),
            due_at=requirement.due_at,
            title=requirement.title,
            evidence_phrases=list(requirement.evidence_phrases),
            evidence_pattern=requirement.evidence_pattern,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        # Requirements are not regional data: every signed-in viewer may read them.
        found = await info.context.loaders.requirement.load_many(list(node_ids))
        return [cls.from_model(requirement) if requirement else None for requirement in found]


@strawberry.type(description="A requirement and its cursor.")
class RequirementEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: Requirement = strawberry.field(description="The requirement.")


@strawberry.type(description="A page of requirements.")
class RequirementConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[RequirementEdge] = strawberry.field(
        description="The requirements of this page, with cursors."
    )
    total_count: int = strawberry.field(description="How many requirements match, over all pages.")

    @field(description="The requirements of this page, without edges.")
    def nodes(self) -> list[Requirement]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="Counts over the expected deliveries (one per region and requirement).")
class CompletenessFigures:
    expected: int = strawberry.field(description="Deliveries due: one per region and requirement.")
    delivered: int = strawberry.field(description="Of those, delivered (on time or late).")
    on_time: int = strawberry.field(description="Delivered by the due date.")
    late: int = strawberry.field(description="Delivered after the due date.")
    missing: int = strawberry.field(description="Not delivered yet.")
    verified: int = strawberry.field(description="Delivered reports that the level above verified.")
    reporting_rate: float | None = strawberry.field(
        description="delivered / expected; null when nothing is due."
    )
    on_time_rate: float | None = strawberry.field(description="on time / expected; null when nothing is due.")
    evidence_checked: int = strawberry.field(
        description="Delivered with evidence that passed the hub's check of its category and text, and "
        "that no reviewer rejected: for a report, every indicator it cites evidence for has such a piece (a "
        "report citing none does not count); for a document requirement, one of the region's documents."
    )
    evidence_confirmed: int = strawberry.field(
        description="Delivered with evidence confirmed by a reviewer, in the same way."
    )
    evidence_checked_rate: float | None = strawberry.field(
        description="evidence checked / expected; null when nothing is due."
    )
    evidence_confirmed_rate: float | None = strawberry.field(
        description="evidence confirmed / expected; null when nothing is due."
    )

    @classmethod
    def of(cls, figures: Figures) -> CompletenessFigures:
        return cls(
            expected=figures.expected,
            delivered=figures.delivered,
            on_time=figures.on_time,
            late=figures.late,
            missing=figures.missing,
            verified=figures.verified,
            reporting_rate=figures.reporting_rate,
            on_time_rate=figures.on_time_rate,
            evidence_checked=figures.evidence_checked,
            evidence_confirmed=figures.evidence_confirmed,
            evidence_checked_rate=figures.evidence_checked_rate,
            evidence_confirmed_rate=figures.evidence_confirmed_rate,
        )


@strawberry.type(description="One region's delivery of one requirement.")
class CompletenessCell:
    requirement_id: relay.GlobalID = strawberry.field(description="The requirement (a Requirement id).")
    state: DeliveryState = strawberry.field(description="On time, late or missing.")
    verified: bool = strawberry.field(description="A delivered report that the level above verified.")
    delivered_at: datetime | None = strawberry.field(description="When it was delivered, if it was.")
    evidence_checked: bool = strawberry.field(
        description="Delivered with evidence that passed the hub's check and no reviewer rejected."
    )
    evidence_confirmed: bool = strawberry.field(description="Delivered with evidence a reviewer confirmed.")
    due_at: datetime | None = strawberry.field(
        description="The region's deadline for it: the requirement's `dueAt`, or later when the region was "
        "granted a deadline extension for the period. ON_TIME and LATE are decided by it."
    )

    @classmethod
    def of(cls, cell: Cell) -> CompletenessCell:
        return cls(
            requirement_id=relay.GlobalID(type_name="Requirement", node_id=cell.requirement_id),
            state=cell.state,
            verified=cell.verified,
            delivered_at=cell.delivered_at,
            due_at=cell.due_at,
            evidence_checked=cell.evidence_checked,
            evidence_confirmed=cell.evidence_confirmed,
        )


@strawberry.type(description="One region's deliveries: a child region's whole subtree, or a matrix row.")
class CompletenessRow:
    region: Region = strawberry.field(description="The region (with its subtree, for a child's row).")
    figures: CompletenessFigures = strawberry.field(description="Its figures.")
    row: strawberry.Private[Row]
    requirement_ids: strawberry.Private[list[str]]

    @classmethod
    def of(cls, row: Row, requirement_ids: list[str] | None = None) -> CompletenessRow:
        return cls(
            region=Region.from_model(row.region),
            figures=CompletenessFigures.of(figures(row.cells)),
            row=row,
            requirement_ids=requirement_ids or [],
        )

    @field(description="Matrix rows: one cell per requirement that applies to the region.")
    def cells(self) -> list[CompletenessCell]:
        return [CompletenessCell.of(cell) for cell in self.row.cells] if self.requirement_ids else []

    @field(
        description="Matrix rows, compact: the state for each of the matrix's `requirements`, in order; null "
        "where a requirement does not apply to the region's level."
    )
    def states(self) -> list[DeliveryState | None]:
        by_requirement = {cell.requirement_id: cell.state for cell in self.row.cells}
        return [by_requirement.get(requirement_id) for requirement_id in self.requirement_ids]


@strawberry.type(description="A region's figures and its children's, for some periods.")
class Completeness:
    total: CompletenessFigures = strawberry.field(description="The region's whole subtree, summed.")
    rows: list[CompletenessRow] = strawberry.field(
        description="A row per child region (its subtree summed), and the region's own row when it owes "
        "deliveries itself; by region code."
    )


@strawberry.type(description="A matrix row and its cursor.")
class CompletenessRowEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: CompletenessRow = strawberry.field(description="The row.")


_MOVED = "Use the connection's own field, as on every other connection: "


@strawberry.type(
    description="Regions by requirements: a page of rows (a connection, ordered by region code), with the "
    "requirements that the rows' `states` follow."
)
class CompletenessMatrix:
    requirements: list[Requirement] = strawberry.field(description="The requirements, the matrix's columns.")
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[CompletenessRowEdge] = strawberry.field(description="The rows of this page, with cursors.")
    total_count: int = strawberry.field(description="How many rows (regions that owe something) there are.")

    @field(description="The rows of this page, without edges.", metadata=cost(page=True))
    def nodes(self) -> list[CompletenessRow]:
        return [edge.node for edge in self.edges]

    @field(
        description="The rows of this page.",
        deprecation_reason=_MOVED + "`nodes`.",
        metadata=cost(page=True),  # as many as `first` asks
    )
    def rows(self) -> list[CompletenessRow]:
        return [edge.node for edge in self.edges]

    @field(
        description="The cursor of the page's last row.", deprecation_reason=_MOVED + "`pageInfo.endCursor`."
    )
    def end_cursor(self) -> str | None:
        return self.page_info.end_cursor

    @field(
        description="Whether rows follow this page.", deprecation_reason=_MOVED + "`pageInfo.hasNextPage`."
    )
    def has_next_page(self) -> bool:
        return self.page_info.has_next_page
