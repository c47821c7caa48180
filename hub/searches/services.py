"""Creating, changing, deleting and marking a saved search viewed. Each change is one conditional update
carrying its audit entry (hub.audit.pending); a refused change writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import DuplicateKeyError

from hub.access.principal import Principal
from hub.audit.linker import complete, complete_insert
from hub.audit.pending import attach_pending, pending_entry, push_pending
from hub.i18n import Text
from hub.searches.errors import SavedSearchError, SavedSearchErrorCode
from hub.searches.models import SavedSearch
from hub.searches.rules import (
    check_filter,
    check_version,
    clean_client_mutation_id,
    clean_name,
    clean_query,
    load_own,
    now_utc,
    owner_id,
)
from hub.sync.models import RemovalCause, SyncKind
from hub.sync.tombstones import record_removal, removed_by_owner


@dataclass(frozen=True)
class SavedSearchDraft:
    name: str
    query: str = ""
    filter: dict[str, Any] = field(default_factory=dict)
    order: str = "relevance"
    notify: bool = False


@dataclass(frozen=True)
class SavedSearchChanges:
    """None leaves a part as it is."""

    name: str | None = None
    query: str | None = None
    filter: dict[str, Any] | None = None
    order: str | None = None
    notify: bool | None = None


@dataclass(frozen=True)
class CreatedSavedSearch:
    saved: SavedSearch
    created: bool = True


def _duplicate_name(name: str) -> SavedSearchError:
    return SavedSearchError(
        SavedSearchErrorCode.DUPLICATE_NAME, Text("searches.duplicate_name", name=name), "name"
    )


def _too_many(limit: int) -> SavedSearchError:
    return SavedSearchError(
        SavedSearchErrorCode.TOO_MANY_SAVED_SEARCHES,
        Text("searches.too_many_saved_searches", limit=limit),
    )


def _audited(saved: SavedSearch) -> dict[str, Any]:
    return {
        "name": saved.name,
        "query": saved.query,
        "filter": saved.filter,
        "order": saved.order,
        "notify": saved.notify,
    }


async def create_saved_search(
    principal: Principal, draft: SavedSearchDraft, *, limit: int, client_mutation_id: str | None = None
) -> CreatedSavedSearch:
    """A new saved search of the principal; with a `client_mutation_id` used before, the first one."""
    user_id = owner_id(principal)
    client_mutation_id = clean_client_mutation_id(client_mutation_id)
    key = f"{user_id}|{client_mutation_id}" if client_mutation_id else None
    if key is not None:
        earlier = await SavedSearch.find_one({"idempotency_key": key})
        if earlier is not None:
            return CreatedSavedSearch(earlier, created=False)
    name, name_key = clean_name(draft.name)
    query = clean_query(draft.query)
    given_filter = await check_filter(draft.filter)
    mine = {"user_id": user_id}
    if await SavedSearch.find(mine).count() >= limit:
        raise _too_many(limit)
    if await SavedSearch.find_one({**mine, "name_key": name_key}) is not None:
        raise _duplicate_name(name)
    now = now_utc()
    saved = SavedSearch(
        user_id=user_id,
        name=name,
        name_key=name_key,
        query=query,
        filter=given_filter,
        order=draft.order,
        notify=draft.notify,
        last_checked_at=now,
        client_mutation_id=client_mutation_id,
        created_at=now,
        updated_at=now,
    )
    if key is not None:
        saved.idempotency_key = key
    audit = attach_pending(saved, principal.actor, "saved_search.create", "SavedSearch", _audited(saved))
    try:
        await saved.insert()
    except DuplicateKeyError:
        winner = await SavedSearch.find_one({"idempotency_key": key}) if key else None
        if winner is not None:  # the same retry arrived twice at once: the first insert won
            return CreatedSavedSearch(winner, created=False)
        raise _duplicate_name(name) from None
    # Without transactions the cap is checked again once inserted: of two racing creations at the cap,
    # whichever counts the other one takes itself back (with its audit entry, not linked yet: nothing was
    # created). The cap is never exceeded.
    if await SavedSearch.find(mine).count() > limit:
        await SavedSearch.get_pymongo_collection().delete_one({"_id": saved.id})
        raise _too_many(limit)
    await complete_insert(saved, audit)
    return CreatedSavedSearch(saved)


async def _changes(saved: SavedSearch, changes: SavedSearchChanges) -> dict[str, Any]:
    """The fields that change, checked."""
    sets: dict[str, Any] = {}
    if changes.name is not None:
        name, name_key = clean_name(changes.name)
        if name_key != saved.name_key:
            taken = await SavedSearch.find_one({"user_id": saved.user_id, "name_key": name_key})
            if taken is not None:
                raise _duplicate_name(name)
        if name != saved.name:
            sets |= {"name": name, "name_key": name_key}
    if changes.query is not None and (query := clean_query(changes.query)) != saved.query:
        sets["query"] = query
    if changes.filter is not None and (given := await check_filter(changes.filter)) != saved.filter:
        sets["filter"] = given
    if changes.order is not None and changes.order != saved.order:
        sets["order"] = changes.order
    if changes.notify is not None and changes.notify != saved.notify:
        sets["notify"] = changes.notify
    return sets


async def update_saved_search(
    principal: Principal,
    saved_search_id: str,
    changes: SavedSearchChanges,
    *,
    expected_version: int | None = None,
) -> SavedSearch:
    """Changes the given parts; when notifications are switched on, only results from now on count."""
    saved = await load_own(principal, saved_search_id)
    check_version(saved, expected_version)
    sets = await _changes(saved, changes)
    if not sets:
        return saved
    now = now_utc()
    update: dict[str, Any] = {**sets, "updated_at": now}
    if sets.get("notify") is True:
        update |= {"last_checked_at": now, "check_lease_until": None, "check_window_end": None}
    audit = pending_entry(
        principal.actor,
        "saved_search.update",
        f"SavedSearch:{saved.id}",
        {key: value for key, value in sets.items() if key != "name_key"},
    )
    try:
        result = await SavedSearch.get_pymongo_collection().update_one(
            {"_id": saved.id, "version": saved.version},
            {"$set": update, "$inc": {"version": 1}, "$push": push_pending(audit)},
        )
    except DuplicateKeyError:
        raise _duplicate_name(sets["name"]) from None
    if result.modified_count != 1:
        raise SavedSearchError(SavedSearchErrorCode.CONFLICT, Text("searches.changed_meanwhile"))
    await complete(SavedSearch, saved.id, audit)
    return await load_own(principal, saved_search_id)


async def delete_saved_search(principal: Principal, saved_search_id: str) -> str:
    """Deletes the principal's saved search; its notifications stay. Returns the id. The deletion is written
    as its audit entry into the saved search, and carried out when the entry is linked: right here, or
    by the periodic linker under load (hub.audit.pending). Deleting it again (a retry whose answer was lost)
    answers the same id: its tombstone tells that this owner deleted it."""
    try:
        saved = await load_own(principal, saved_search_id)
    except SavedSearchError as error:
        if await removed_by_owner(SyncKind.SAVED_SEARCH, saved_search_id, owner_id(principal)):
            return saved_search_id
        raise error from None
    audit = pending_entry(
        principal.actor, "saved_search.delete", f"SavedSearch:{saved.id}", {"name": saved.name}, delete=True
    )
    result = await SavedSearch.get_pymongo_collection().update_one(
        {"_id": saved.id, "user_id": saved.user_id, "audit_pending.id": {"$ne": audit.id}},
        {"$push": push_pending(audit)},
    )
    if result.modified_count != 1:  # being deleted already, by a retry of this same request
        raise SavedSearchError(
            SavedSearchErrorCode.SAVED_SEARCH_NOT_FOUND, Text("searches.saved_search_not_found"), "id"
        )
    await record_removal(
        SyncKind.SAVED_SEARCH, saved.id, RemovalCause.DELETED, key="delete", owner_id=saved.user_id
    )
    await complete(SavedSearch, saved.id, audit)
    return str(saved.id)


async def mark_viewed(principal: Principal, saved_search_id: str) -> SavedSearch:
    """The owner has looked at the results: `newCount` counts from now on."""
    saved = await load_own(principal, saved_search_id)
    now = now_utc()
    audit = pending_entry(principal.actor, "saved_search.mark_viewed", f"SavedSearch:{saved.id}", {"at": now})
    await SavedSearch.get_pymongo_collection().update_one(
        {"_id": saved.id}, {"$set": {"last_viewed_at": now, "updated_at": now}, "$push": push_pending(audit)}
    )
    await complete(SavedSearch, saved.id, audit)
    saved.last_viewed_at = now
    saved.updated_at = now
    return saved
