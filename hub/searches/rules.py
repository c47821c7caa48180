"""What a saved search may hold, whose it is, and the checks every change shares."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from beanie import PydanticObjectId

from hub.access.principal import Principal, PrincipalKind
from hub.core.clock import storable_time
from hub.core.ids import object_id
from hub.i18n import Text
from hub.regions.services import get_region
from hub.searches.errors import SavedSearchError, SavedSearchErrorCode
from hub.searches.models import SavedSearch

MAX_NAME = 100
MAX_QUERY = 500  # what the search reads of a query (search.syntax.MAX_QUERY_LENGTH)
MAX_CLIENT_MUTATION_ID = 100
_SPACES = re.compile(r"\s+")
_PAIRS = (("period_from", "period_to", "periodFrom"), ("date_from", "date_to", "dateFrom"))


def now_utc() -> datetime:
    """The current time as MongoDB stores it (UTC, milliseconds)."""
    return storable_time(datetime.now(UTC))


def owner_id(principal: Principal) -> PydanticObjectId:
    """The user a saved search belongs to: only signed-in users have saved searches."""
    user_id = object_id(principal.id or "") if principal.kind is PrincipalKind.USER else None
    if user_id is None:
        raise SavedSearchError(SavedSearchErrorCode.PERMISSION_DENIED, Text("searches.staff_only"))
    return user_id


def clean_name(name: str) -> tuple[str, str]:
    """The name as shown (spaces collapsed) and its key (case-folded): unique per user."""
    cleaned = _SPACES.sub(" ", name).strip()
    if not cleaned:
        raise SavedSearchError(SavedSearchErrorCode.INVALID_NAME, Text("searches.name_required"), "name")
    if len(cleaned) > MAX_NAME:
        raise SavedSearchError(
            SavedSearchErrorCode.INVALID_NAME, Text("searches.name_too_long", max_name=MAX_NAME), "name"
        )
    return cleaned, cleaned.casefold()


def clean_query(query: str) -> str:
    cleaned = query.strip()
    if len(cleaned) > MAX_QUERY:
        raise SavedSearchError(
            SavedSearchErrorCode.INVALID_QUERY, Text("searches.query_too_long", max_query=MAX_QUERY), "query"
        )
    return cleaned


def clean_client_mutation_id(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > MAX_CLIENT_MUTATION_ID:
        raise SavedSearchError(
            SavedSearchErrorCode.INVALID_CLIENT_MUTATION_ID,
            Text("searches.invalid_client_mutation_id", max_client_mutation_id=MAX_CLIENT_MUTATION_ID),
            "clientMutationId",
        )
    return value.strip()


async def check_filter(given: dict[str, Any]) -> dict[str, Any]:
    """The filter, when it can match something: a region that exists, ranges that are not upside down.
    (The schema has checked the shape of each value, as the `search` field does.)"""
    region = given.get("region")
    if region is not None:
        if not isinstance(region, str) or await get_region(region.strip()) is None:
            raise SavedSearchError(
                SavedSearchErrorCode.INVALID_FILTER,
                Text("searches.region_not_found", region=region),
                "filter.region",
            )
        given = {**given, "region": region.strip()}
    for low_name, high_name, field in _PAIRS:
        low, high = given.get(low_name), given.get(high_name)
        if low is not None and high is not None and low > high:
            raise SavedSearchError(
                SavedSearchErrorCode.INVALID_FILTER,
                Text("searches.range_reversed", field=field),
                f"filter.{field}",
            )
    return given


async def load_own(principal: Principal, saved_search_id: str) -> SavedSearch:
    """The principal's saved search with this id; anyone else's does not exist to them."""
    user_id = owner_id(principal)
    oid = object_id(saved_search_id)
    saved = await SavedSearch.find_one({"_id": oid, "user_id": user_id}) if oid is not None else None
    if saved is None:
        raise SavedSearchError(
            SavedSearchErrorCode.SAVED_SEARCH_NOT_FOUND, Text("searches.saved_search_not_found"), "id"
        )
    return saved


def check_version(saved: SavedSearch, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != saved.version:
        raise SavedSearchError(
            SavedSearchErrorCode.CONFLICT,
            Text("searches.version_conflict", version=saved.version, expected_version=expected_version),
            "expectedVersion",
        )
