from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from schema.cases.types import Case, CaseCategory, CaseStatus
from schema.connection import CURSOR, PAGE_INFO
from schema.cost import cost
from schema.documents.types import Document, DocumentCategory
from schema.fields import field
from schema.regions.code import RegionCode
from schema.reports.types import IncidentCategory, Report, ReportStatus, ReportType, RiskLevel
from schema.search.enums import SearchKind, SearchOrder
from schema.search.facets import SearchFacets

__all__ = ["SearchKind", "SearchOrder"]


SearchResult = Annotated[
    Report | Case | Document, strawberry.union("SearchResult", description="A record a search found.")
]


@strawberry.type(description="One search result: the record, its relevance and highlighted snippets.")
class SearchHit:
    score: float = strawberry.field(description="Relevance; higher is a better match (0 without a query).")
    kind: SearchKind = strawberry.field(description="What kind of record it is.")
    highlights: list[str] = strawberry.field(
        description="Snippets of the text with matching words wrapped in <em>, HTML-escaped."
    )
    title_highlight: str | None = strawberry.field(
        description="The title (file name for documents) with matching words in <em>, HTML-escaped."
    )
    node: SearchResult = strawberry.field(description="The record: a Report, Case or Document.")
    document: Document | None = strawberry.field(
        description="The record when it is a document; use `node` for every kind."
    )


@strawberry.type(description="A search hit and its cursor.")
class SearchHitEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: SearchHit = strawberry.field(description="The hit.")


@strawberry.type(description="A page of search results.")
class SearchHitConnection:
    page_info: relay.PageInfo = strawberry.field(
        description=PAGE_INFO + " Search pages forwards only (`after`)."
    )
    edges: list[SearchHitEdge] = strawberry.field(description="The hits of this page, with their cursors.")
    total_count: int = strawberry.field(description="How many hits match, over all pages.")
    facets: SearchFacets | None = strawberry.field(
        default=None,
        description="Counts by province, kind, category and period over every hit.",
        metadata=cost(weight=1),  # aggregations over every hit, added to the search
    )

    @field(description="The hits of this page, without edges.")
    def nodes(self) -> list[SearchHit]:
        return [edge.node for edge in self.edges]


@strawberry.input(description="Every part narrows the search; all are optional.")
class SearchFilter:
    region: RegionCode | None = strawberry.field(
        default=None, description="A region: the records of it and of every region below it."
    )
    kinds: list[SearchKind] | None = strawberry.field(default=None, description="Only these kinds of record.")
    report_types: list[ReportType] | None = strawberry.field(
        default=None, description="Only reports of these types (other kinds are not narrowed)."
    )
    period_from: str | None = strawberry.field(
        default=None, description="From this period on, such as `2026-Q1` (inclusive)."
    )
    period_to: str | None = strawberry.field(
        default=None, description="Up to this period, such as `2026-Q4` (inclusive)."
    )
    date_from: datetime | None = strawberry.field(
        default=None,
        description="From this time on (inclusive), by the record's date: occurrence for incidents, creation "
        "for the rest.",
    )
    date_to: datetime | None = strawberry.field(
        default=None, description="Up to this time (inclusive), by the same date."
    )
    report_statuses: list[ReportStatus] | None = strawberry.field(
        default=None, description="Only reports and incidents in these statuses."
    )
    case_statuses: list[CaseStatus] | None = strawberry.field(
        default=None, description="Only cases in these statuses."
    )
    incident_categories: list[IncidentCategory] | None = strawberry.field(
        default=None, description="Only incidents of these categories."
    )
    case_categories: list[CaseCategory] | None = strawberry.field(
        default=None, description="Only cases of these categories."
    )
    document_categories: list[DocumentCategory] | None = strawberry.field(
        default=None, description="Only documents of these categories."
    )
    severities: list[RiskLevel] | None = strawberry.field(
        default=None, description="Incident severity, a case's severity or a report's risk level."
    )
