"""The region filter clause: every scoped record stores `region_path` — its region's ancestors, root first,
and the region itself — so "this region and everything under it" is one indexed equality."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

REGION_PATH_FIELD = "region_path"


def mongo_under(region_code: str) -> dict[str, Any]:
    """MongoDB: records of this region and every region under it."""
    return {REGION_PATH_FIELD: region_code}


def mongo_under_any(region_codes: Iterable[str]) -> dict[str, Any]:
    """MongoDB: records under any of these regions (none: matches nothing)."""
    return {REGION_PATH_FIELD: {"$in": sorted(set(region_codes))}}


def es_under(region_code: str) -> dict[str, Any]:
    """Elasticsearch filter clause: documents of this region and every region under it."""
    return {"term": {REGION_PATH_FIELD: region_code}}


def es_under_any(region_codes: Iterable[str]) -> dict[str, Any]:
    """Elasticsearch filter clause: documents under any of these regions (none: matches nothing)."""
    return {"terms": {REGION_PATH_FIELD: sorted(set(region_codes))}}
