"""Saved searches refuse bad input with a typed error and change nothing; one user keeps at most
`PANTAU_MAX_SAVED_SEARCHES_PER_USER` of them, even when creations race."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hub.access.roles import Role
from hub.access.sessions import principal_for_user
from hub.audit.models import AuditEntry
from hub.core.clock import utcnow
from hub.searches.errors import SavedSearchError, SavedSearchErrorCode
from hub.searches.models import SavedSearch
from hub.searches.services import SavedSearchDraft, create_saved_search
from hub.settings import Settings
from tests.graphql import Client, gql_as, raw_id
from tests.saved_search_helpers import new_user, save, stored

UPDATE = """mutation($id: ID!, $input: SavedSearchUpdateInput!) { savedSearchUpdate(id: $id, input: $input) {
  errors { field code } savedSearch { id } } }"""


INVALID: list[tuple[dict[str, Any], str, str | None]] = [
    ({"name": "   "}, "INVALID_NAME", "name"),
    ({"name": "x" * 101}, "INVALID_NAME", "name"),
    ({"name": "Taken"}, "DUPLICATE_NAME", "name"),
    ({"name": "TAKEN "}, "DUPLICATE_NAME", "name"),
    ({"name": "q", "query": "a" * 501}, "INVALID_QUERY", "query"),
    ({"name": "f", "filter": {"periodFrom": "2026-5"}}, "INVALID_FILTER", "filter"),
    ({"name": "f", "filter": {"region": "99.99"}}, "INVALID_FILTER", "filter.region"),
    (
        {"name": "f", "filter": {"periodFrom": "2026-Q3", "periodTo": "2026-Q1"}},
        "INVALID_FILTER",
        "filter.periodFrom",
    ),
    (
        {"name": "f", "filter": {"dateFrom": "2026-03-01T00:00:00Z", "dateTo": "2026-01-01T00:00:00Z"}},
        "INVALID_FILTER",
        "filter.dateFrom",
    ),
    ({"name": "c", "clientMutationId": "x" * 101}, "INVALID_CLIENT_MUTATION_ID", "clientMutationId"),
]


async def test_invalid_input_changes_nothing(settings: Settings, client_for: Client) -> None:
    user, token = await new_user(settings, Role.OPERATOR, "31.74")
    assert (await save(client_for, token, "Taken"))["errors"] == []
    other = (await save(client_for, token, "Other", query="nphd"))["savedSearch"]["id"]
    started = utcnow()
    for given, code, field in INVALID:
        payload = await save(client_for, token, **given)
        assert payload["savedSearch"] is None, given
        assert [(error["code"], error["field"]) for error in payload["errors"]] == [(code, field)], given
        if "clientMutationId" in given:
            continue
        changed = await gql_as(client_for, token, UPDATE, {"id": other, "input": given})
        result = changed["savedSearchUpdate"]
        assert result["savedSearch"] is None, given
        assert [(error["code"], error["field"]) for error in result["errors"]] == [(code, field)], given
    saved = await stored(raw_id(other))
    assert (saved.name, saved.query, saved.filter, saved.version) == ("Other", "nphd", {}, 1)
    assert await SavedSearch.find({"user_id": user.id}).count() == 2
    assert await AuditEntry.find({"at": {"$gte": started}, "actor": f"user:{user.username}"}).count() == 0


async def test_the_number_of_saved_searches_per_user_is_capped(
    settings: Settings, client_for: Client
) -> None:
    user, token = await new_user(settings, Role.OPERATOR, "31.74")
    cap = settings.max_saved_searches_per_user
    now = utcnow()
    await SavedSearch.insert_many(
        [
            SavedSearch(user_id=user.id, name=f"s{i}", name_key=f"s{i}", last_checked_at=now)
            for i in range(cap - 1)
        ]
    )
    assert (await save(client_for, token, "the last one"))["errors"] == []
    refused = await save(client_for, token, "one too many")
    assert [error["code"] for error in refused["errors"]] == ["TOO_MANY_SAVED_SEARCHES"]
    assert await SavedSearch.find({"user_id": user.id}).count() == cap

    # Racing creations at the cap never exceed it.
    racer, _ = await new_user(settings, Role.OPERATOR, "31.74")
    principal = principal_for_user(racer)
    await SavedSearch.insert_many(
        [SavedSearch(user_id=racer.id, name=f"r{i}", name_key=f"r{i}", last_checked_at=now) for i in range(2)]
    )
    outcomes = await asyncio.gather(
        *(create_saved_search(principal, SavedSearchDraft(name=f"race {i}"), limit=4) for i in range(5)),
        return_exceptions=True,
    )
    made = [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, SavedSearchError)]
    assert len(made) + len(refusals) == 5 and len(made) <= 2
    assert {error.code for error in refusals} == {SavedSearchErrorCode.TOO_MANY_SAVED_SEARCHES}
    assert await SavedSearch.find({"user_id": racer.id}).count() == 2 + len(made) <= 4
    # A racer that was refused and tries again, alone, gets the room left.
    left = 4 - 2 - len(made)
    for i in range(left + 1):
        draft = SavedSearchDraft(name=f"again {i}")
        if i < left:
            await create_saved_search(principal, draft, limit=4)
        else:
            with pytest.raises(SavedSearchError):
                await create_saved_search(principal, draft, limit=4)
    assert await SavedSearch.find({"user_id": racer.id}).count() == 4
