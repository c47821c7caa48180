"""Which period a document is delivered for: the one it names (`period_key`), else — for documents recorded
without one — the latest period with a requirement of its category that had begun when it was uploaded. So a
document counts for exactly one period, never for every period that began before its upload."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from hub.completeness.models import Requirement, RequirementKind
from hub.documents.models import DocumentCategory, DocumentState


class DocumentFact(BaseModel):
    region_code: str
    category: DocumentCategory
    created_at: datetime
    period_key: str | None = None


def document_criteria(categories: list[str], period_keys: list[str], earliest: datetime) -> dict[str, Any]:
    """Documents that may be delivered for these periods: named for one of them, or undated and uploaded
    since the earliest began; none in the trash or refused by processing."""
    return {
        "category": {"$in": categories},
        "state": {"$ne": DocumentState.REJECTED.value},
        "deleted_at": None,
        "$or": [
            {"period_key": {"$in": period_keys}},
            {"period_key": None, "created_at": {"$gte": earliest}},
        ],
    }


async def requirements_and_periods(period_keys: list[str]) -> tuple[list[Requirement], dict[str, list[str]]]:
    """The requirements of these periods (by period, then in the order they were made), and per document
    category every period that requires it (at any level), in order; in one query, as the requirements of
    other periods are needed only for the periods of documents recorded without one."""
    wanted = {"$or": [{"period_key": {"$in": period_keys}}, {"kind": RequirementKind.DOCUMENT.value}]}
    found = await Requirement.find(wanted).sort("period_key", "_id").to_list()
    by_category: dict[str, set[str]] = {}
    for requirement in found:
        if requirement.document_category is not None:
            by_category.setdefault(requirement.document_category.value, set()).add(requirement.period_key)
    asked = set(period_keys)
    periods = {category: sorted(keys) for category, keys in by_category.items()}
    return [requirement for requirement in found if requirement.period_key in asked], periods


def delivered_for(fact: DocumentFact, periods: list[str], start_of: Callable[[str], datetime]) -> str | None:
    """The period the document is delivered for; `periods` are those requiring its category, in order."""
    if fact.period_key is not None:
        return fact.period_key
    begun = [key for key in periods if start_of(key) <= fact.created_at]
    return begun[-1] if begun else None


def uploads_by_period(
    facts: Iterable[DocumentFact], periods: dict[str, list[str]], start_of: Callable[[str], datetime]
) -> dict[tuple[str, str, str], list[datetime]]:
    """(region, category, period) → upload times of the documents delivered for that period."""
    found: dict[tuple[str, str, str], list[datetime]] = {}
    for fact in facts:
        period = delivered_for(fact, periods.get(fact.category.value, []), start_of)
        if period is not None:
            found.setdefault((fact.region_code, fact.category.value, period), []).append(fact.created_at)
    return found
