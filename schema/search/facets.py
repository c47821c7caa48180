"""A search's facets as typed buckets: each keyed by what it counts (a Region, a SearchKind, a
SearchCategory, a Period), never by a lowercase string. The search index keeps incident, case and document
categories in one field, so their facet is keyed by `SearchCategory`, the union of the three enums' values
(spelled the same)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, TypeAlias, cast

import strawberry

from hub.cases.models import CaseCategory as CaseCategoryModel
from hub.documents.models import DocumentCategory as DocumentCategoryModel
from hub.reports.models import IncidentCategory as IncidentCategoryModel
from hub.reports.models import Period as PeriodModel
from schema.context import Info
from schema.fields import field
from schema.regions.types import Region
from schema.reports.parts import Period
from schema.search.enums import SearchKind
from search.service import FacetBucket

_CATEGORIES = {
    member.name: member.value
    for model in (IncidentCategoryModel, CaseCategoryModel, DocumentCategoryModel)
    for member in model
}
_SearchCategory = cast("type[Enum]", Enum("SearchCategory", _CATEGORIES))  # the domain's three enums
strawberry.enum(
    _SearchCategory,
    name="SearchCategory",
    description="A category of a search hit: an IncidentCategory, CaseCategory or DocumentCategory value, "
    "spelled as there (NPHD and OTHER belong to more than one).",
)
if TYPE_CHECKING:
    SearchCategory: TypeAlias = Enum
else:
    SearchCategory = _SearchCategory
_WHERE = {
    name: ", ".join(
        kind
        for kind, model in (
            ("IncidentCategory", IncidentCategoryModel),
            ("CaseCategory", CaseCategoryModel),
            ("DocumentCategory", DocumentCategoryModel),
        )
        if name in model.__members__
    )
    for name in _CATEGORIES
}
for _value in _SearchCategory.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = f"As in {_WHERE[_value.name]}."


COUNT = "How many hits, over every page."
_KINDS = ("report", "incident", "case", "document")  # SearchKind's values


@strawberry.type(description="Hits in one province's subtree.")
class SearchProvinceBucket:
    code: str = strawberry.field(description="The province's official code, such as `31`.")
    count: int = strawberry.field(description=COUNT)

    @field(description="The province.")
    async def region(self, info: Info) -> Region | None:
        found = await info.context.loaders.region.load(self.code)
        return Region.from_model(found) if found else None


@strawberry.type(description="Hits of one kind.")
class SearchKindBucket:
    kind: SearchKind = strawberry.field(description="The kind of record.")
    count: int = strawberry.field(description=COUNT)


@strawberry.type(description="Hits of one category.")
class SearchCategoryBucket:
    category: SearchCategory = strawberry.field(description="The category.")
    count: int = strawberry.field(description=COUNT)


@strawberry.type(description="Hits of one period (a quarterly report's period, an incident's quarter).")
class SearchPeriodBucket:
    period: Period = strawberry.field(description="The quarter.")
    count: int = strawberry.field(description=COUNT)


def _period(key: str) -> Period | None:
    year, _, quarter = key.partition("-Q")
    if not (year.isdigit() and quarter.isdigit()):
        return None
    return Period.of(PeriodModel(year=int(year), quarter=int(quarter)))


def provinces(found: list[FacetBucket]) -> list[SearchProvinceBucket]:
    return [SearchProvinceBucket(code=bucket.key, count=bucket.count) for bucket in found]


def kinds(found: list[FacetBucket]) -> list[SearchKindBucket]:
    known = {bucket.key for bucket in found} & set(_KINDS)
    return [SearchKindBucket(kind=SearchKind(b.key), count=b.count) for b in found if b.key in known]


def categories(found: list[FacetBucket]) -> list[SearchCategoryBucket]:
    return [
        SearchCategoryBucket(category=SearchCategory(b.key), count=b.count)
        for b in found
        if b.key in _CATEGORIES.values()
    ]


def periods(found: list[FacetBucket]) -> list[SearchPeriodBucket]:
    typed = [(_period(bucket.key), bucket.count) for bucket in found]
    return [SearchPeriodBucket(period=period, count=count) for period, count in typed if period is not None]


@strawberry.type(description="How many hits have one value of a facet, keyed by a string.")
class SearchFacetBucket:
    key: str = strawberry.field(description="The value, as the index holds it.")
    count: int = strawberry.field(description=COUNT)


_TYPED = "Read the typed facet: "


@strawberry.type(description="Counts over every hit of the search (all pages), by value.")
class SearchFacets:
    found: strawberry.Private[dict[str, list[FacetBucket]]]

    @field(description="By province (the hits of its whole subtree), the largest count first.")
    def provinces(self) -> list[SearchProvinceBucket]:
        return provinces(self.found.get("province", []))

    @field(description="By kind of record, the largest count first.")
    def kinds(self) -> list[SearchKindBucket]:
        return kinds(self.found.get("kind", []))

    @field(description="By incident, case and document category, the largest count first.")
    def categories(self) -> list[SearchCategoryBucket]:
        return categories(self.found.get("category", []))

    @field(description="By quarter, the latest first.")
    def periods(self) -> list[SearchPeriodBucket]:
        return periods(self.found.get("period", []))

    @field(description="By province code.", deprecation_reason=_TYPED + "`provinces`.")
    def province(self) -> list[SearchFacetBucket]:
        return self._keyed("province")

    @field(description="By kind, in lowercase.", deprecation_reason=_TYPED + "`kinds`.")
    def kind(self) -> list[SearchFacetBucket]:
        return self._keyed("kind")

    @field(description="By category, in lowercase.", deprecation_reason=_TYPED + "`categories`.")
    def category(self) -> list[SearchFacetBucket]:
        return self._keyed("category")

    @field(description="By quarter (`2026-Q1`), the latest first.", deprecation_reason=_TYPED + "`periods`.")
    def period(self) -> list[SearchFacetBucket]:
        return self._keyed("period")

    def _keyed(self, name: str) -> list[SearchFacetBucket]:
        return [SearchFacetBucket(key=bucket.key, count=bucket.count) for bucket in self.found.get(name, [])]
