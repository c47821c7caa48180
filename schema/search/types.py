from __future__ import annotations

import strawberry
from strawberry import relay

from schema.documents.types import Document


@strawberry.type(description="One search result: the record, its relevance and highlighted snippets.")
class SearchHit:
    score: float
    highlights: list[str] = strawberry.field(
        description="Snippets of the text with matching words wrapped in <em>, HTML-escaped."
    )
    title_highlight: str | None
    document: Document | None


@strawberry.type(description="A search hit and its cursor.")
class SearchHitEdge:
    cursor: str
    node: SearchHit


@strawberry.type(description="A page of search results.")
class SearchHitConnection:
    page_info: relay.PageInfo
    edges: list[SearchHitEdge]
    total_count: int = strawberry.field(description="How many hits match, over all pages.")

    @strawberry.field(description="The hits of this page, without edges.")
    def nodes(self) -> list[SearchHit]:
        return [edge.node for edge in self.edges]
