"""The search's closed sets of values: what kind of record a hit is, and the orders."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.describe import enum_type
from search.filters import SearchOrder as SearchOrderModel

enum_type(
    SearchOrderModel,
    name="SearchOrder",
    description="The order of search hits.",
    values={
        "RELEVANCE": "The best match first (then the newest).",
        "NEWEST": "The newest first, by the record's date: occurrence for incidents, creation for the rest.",
        "OLDEST": "The oldest first, by the same date.",
    },
)
SearchOrder = SearchOrderModel


@strawberry.enum(description="What kind of record a search hit is.")
class SearchKind(Enum):
    REPORT = strawberry.enum_value("report", description="A quarterly report (a Report).")
    INCIDENT = strawberry.enum_value("incident", description="An incident report (a Report).")
    CASE = strawberry.enum_value("case", description="An obstacle case (a Case).")
    DOCUMENT = strawberry.enum_value("document", description="A supporting document (a Document).")
