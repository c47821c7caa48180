from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from schema.cases.types import Case, CaseCategory, CaseStatus
from schema.cost import cost
from schema.documents.types import Document, DocumentCategory
from schema.fields import field
from schema.reports.types import IncidentCategory, Report, ReportStatus, ReportType, RiskLevel
from search.filters import SearchOrder as SearchOrderModel

strawberry.enum(
    SearchOrderModel,
    name="SearchOrder",
    description="Relevance (then newest first), or the record's date: occurrence for incidents, creation "
    "for the rest.",
)
SearchOrder = SearchOrderModel


@strawberry.enum(description="What kind of record a search hit is.")
class SearchKind(Enum):
    REPORT = "report"
    INCIDENT = "incident"
    CASE = "case"
    DOCUMENT = "document"


SearchResult = Annotated[
    Report | Case | Document, strawberry.union("SearchResult", description="A record a search found.")
]


@strawberry.type(description="One search result: the record, its relevance and highlighted snippets.")
class SearchHit:
    score: float
    kind: SearchKind
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
    cursor: str
    node: SearchHit


@strawberry.type(description="How many hits have one value of a facet.")
class SearchFacetBucket:
    key: str
    count: int


@strawberry.type(description="Counts over every hit of the search (all pages), by value.")
class SearchFacets:
    province: list[SearchFacetBucket] = strawberry.field(description="Keyed by province code (e.g. `31`).")
    kind: list[SearchFacetBucket] = strawberry.field(description="`report`, `incident`, `case`, `document`.")
    category: list[SearchFacetBucket] = strawberry.field(
        description="Incident, case and document categories, in lowercase (`nphd`)."
    )
    period: list[SearchFacetBucket] = strawberry.field(description="Quarters (`2026-Q1`), newest first.")


@strawberry.type(description="A page of search results.")
class SearchHitConnection:
    page_info: relay.PageInfo
    edges: list[SearchHitEdge]
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
    region: str | None = strawberry.field(default=None, description="Code of a region: it and all below it.")
    kinds: list[SearchKind] | None = None
    report_types: list[ReportType] | None = None
    period_from: str | None = strawberry.field(default=None, description="`2026-Q1`, inclusive.")
    period_to: str | None = strawberry.field(default=None, description="`2026-Q4`, inclusive.")
    date_from: datetime | None = strawberry.field(
        default=None, description="The record's date (occurrence for incidents, creation otherwise)."
    )
    date_to: datetime | None = None
    report_statuses: list[ReportStatus] | None = None
    case_statuses: list[CaseStatus] | None = None
    incident_categories: list[IncidentCategory] | None = None
    case_categories: list[CaseCategory] | None = None
    document_categories: list[DocumentCategory] | None = None
    severities: list[RiskLevel] | None = strawberry.field(
        default=None, description="Incident severity, a case's severity or a report's risk level."
    )
