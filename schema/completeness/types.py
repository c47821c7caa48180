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
from schema.context import Info
from schema.cost import cost
from schema.documents.types import DocumentCategory
from schema.fields import field
from schema.regions.types import Region, RegionLevel
from schema.reports.types import ReportType

strawberry.enum(RequirementKindModel, name="RequirementKind")
strawberry.enum(CellStateModel, name="DeliveryState")
strawberry.enum(CompletenessErrorCodeModel, name="CompletenessErrorCode")
RequirementKind: TypeAlias = RequirementKindModel
DeliveryState: TypeAlias = CellStateModel
CompletenessErrorCode: TypeAlias = CompletenessErrorCodeModel


@strawberry.type(description="Why a requirement mutation did nothing.")
class CompletenessError:
    field: str | None
    message: str
    code: CompletenessErrorCode


@strawberry.type(description="What regions of some levels must deliver for a period, and by when.")
class Requirement(relay.Node):
    requirement_id: relay.NodeID[str]
    period_key: str
    kind: RequirementKind
    report_type: ReportType | None
    document_category: DocumentCategory | None
    levels: list[RegionLevel]
    due_at: datetime
    title: str

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
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        # Requirements are not regional data: every signed-in viewer may read them.
        found = await info.context.loaders.requirement.load_many(list(node_ids))
        return [cls.from_model(requirement) if requirement else None for requirement in found]


@strawberry.type(description="Counts over the expected deliveries (one per region and requirement).")
class CompletenessFigures:
    expected: int
    delivered: int
    on_time: int
    late: int
    missing: int
    verified: int = strawberry.field(description="Delivered reports that the level above verified.")
    reporting_rate: float | None = strawberry.field(
        description="delivered / expected; null when nothing is due."
    )
    on_time_rate: float | None = strawberry.field(description="on time / expected; null when nothing is due.")

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
        )


@strawberry.type
class CompletenessCell:
    requirement_id: relay.GlobalID
    state: DeliveryState
    verified: bool
    delivered_at: datetime | None

    @classmethod
    def of(cls, cell: Cell) -> CompletenessCell:
        return cls(
            requirement_id=relay.GlobalID(type_name="Requirement", node_id=cell.requirement_id),
            state=cell.state,
            verified=cell.verified,
            delivered_at=cell.delivered_at,
        )


@strawberry.type(description="One region's deliveries: a child region's whole subtree, or a matrix row.")
class CompletenessRow:
    region: Region
    figures: CompletenessFigures
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
    total: CompletenessFigures
    rows: list[CompletenessRow]


@strawberry.type(description="Regions by requirements, a page of rows ordered by region code.")
class CompletenessMatrix:
    requirements: list[Requirement]
    rows: list[CompletenessRow] = strawberry.field(metadata=cost(page=True))  # as many as `first` asks
    total_count: int
    end_cursor: str | None
    has_next_page: bool
