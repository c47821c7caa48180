"""Sync paging as a phone does it while others write: nothing is lost across pages and passes, equal times
are ordered by id, hostile `since` values get typed errors, old tombstones are pruned and an older sync is
told to start over; what the feed costs; a retried deletion answers its first result."""

from __future__ import annotations

from datetime import timedelta

from bson import ObjectId
from graphql import parse

from hub.access.roles import Role
from hub.core.clock import storable_time, utcnow
from hub.notifications.models import Notification, NotificationKind
from hub.searches.models import SavedSearch
from hub.settings import Settings
from hub.sync.backfill import backfill_updated_at
from hub.sync.models import RemovalCause, SyncKind, Tombstone
from hub.sync.tombstones import prune_tombstones, record_removal
from schema.cost import operation_cost
from schema.schema import build_schema
from tests.graphql import Client, gql_as, raw_id
from tests.saved_search_helpers import new_user, save
from tests.sync_helpers import Replica, deleted_page, listing, refused_code

SAVED = listing("savedSearches", "id name updatedAt")
UPDATE = """mutation($id: ID!, $input: SavedSearchUpdateInput!) { savedSearchUpdate(id: $id, input: $input) {
  errors { code } } }"""
DELETE = "mutation($id: ID!) { savedSearchDelete(id: $id) { deletedId errors { code } } }"
ALL = """query($first: Int, $after: String) { savedSearches(first: $first, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id name } } }"""


async def _saved(client_for: Client, token: str, name: str) -> str:
    created = await save(client_for, token, name)
    assert created["errors"] == []
    saved_id: str = created["savedSearch"]["id"]
    return saved_id


async def _rename(client_for: Client, token: str, saved_id: str, name: str) -> None:
    answer = await gql_as(client_for, token, UPDATE, {"id": saved_id, "input": {"name": name}})
    assert answer["savedSearchUpdate"]["errors"] == []


async def _server(client_for: Client, token: str) -> dict[str, str]:
    nodes = (await gql_as(client_for, token, ALL, {"first": 100, "after": None}))["savedSearches"]["nodes"]
    return {node["id"]: node["name"] for node in nodes}


async def test_paging_while_others_write_loses_nothing(settings: Settings, client_for: Client) -> None:
    _, token = await new_user(settings, Role.OPERATOR, "31.74")
    replica = Replica(SAVED, "SAVED_SEARCH")
    ids = [await _saved(client_for, token, f"Pencarian {number}") for number in range(6)]
    await replica.sync(client_for, token)
    assert {row["id"]: row["name"] for row in replica.rows.values()} == await _server(client_for, token)

    # A pass of two-item pages, with writes landing between its pages.
    head = await deleted_page(client_for, token, None, first=0)
    first_page = await gql_as(client_for, token, SAVED, {"since": replica.since, "first": 2, "after": None})
    page = first_page["savedSearches"]
    seen = {node["id"]: node for node in page["nodes"]}
    await _rename(client_for, token, next(iter(seen)), "Sudah dilihat, diubah")  # behind the position
    await _rename(client_for, token, ids[5], "Belum dilihat, diubah")  # ahead of it
    await _rename(client_for, token, ids[4], "Diubah lagi")
    added = await _saved(client_for, token, "Baru selama paging")
    assert (await gql_as(client_for, token, DELETE, {"id": ids[3]}))["savedSearchDelete"]["errors"] == []
    while page["pageInfo"]["hasNextPage"]:
        variables = {"since": replica.since, "first": 2, "after": page["pageInfo"]["endCursor"]}
        page = (await gql_as(client_for, token, SAVED, variables))["savedSearches"]
        seen.update({node["id"]: node for node in page["nodes"]})
    # Within the pass: the changes after the position, and the new record, came later in the same pass.
    assert seen[ids[5]]["name"] == "Belum dilihat, diubah" and added in seen

    # The next pass, from the horizon taken before the first page, brings what the pass could not.
    replica.rows.update(seen)
    replica.since = head["syncedUntil"]
    await replica.sync(client_for, token)
    assert {row["id"]: row["name"] for row in replica.rows.values()} == await _server(client_for, token)
    assert ids[3] not in replica.rows


async def test_equal_times_are_paged_by_id_and_none_is_skipped(
    settings: Settings, client_for: Client
) -> None:
    user, token = await new_user(settings, Role.OPERATOR, "31.74")
    # Named against the order of their ids, so that no other order passes for the sync order.
    ids = [await _saved(client_for, token, f"Sama {number}") for number in reversed(range(5))]
    same = storable_time(utcnow() - timedelta(seconds=30))
    collection = SavedSearch.get_pymongo_collection()
    await collection.update_many({"user_id": user.id}, {"$set": {"updated_at": same}})
    found: list[str] = []
    after = None
    while True:
        variables = {"since": same.isoformat(), "first": 1, "after": after}
        page = (await gql_as(client_for, token, SAVED, variables))["savedSearches"]
        found += [node["id"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert found == sorted(ids, key=lambda value: ObjectId(raw_id(value)))


async def test_hostile_since_values_and_cursors_are_refused_with_their_codes(
    settings: Settings, client_for: Client
) -> None:
    _, token = await new_user(settings, Role.OPERATOR, "31.74")
    await _saved(client_for, token, "Satu")
    await _saved(client_for, token, "Dua")
    future = (utcnow() + timedelta(days=1)).isoformat()
    fresh = {"first": 1, "after": None}
    assert await refused_code(client_for, token, SAVED, {"since": future, **fresh}) == "SINCE_IN_FUTURE"
    deleted = "query($since: DateTime) { deleted(since: $since) { totalCount } }"
    assert await refused_code(client_for, token, deleted, {"since": future}) == "SINCE_IN_FUTURE"
    too_old = (utcnow() - timedelta(days=settings.sync_tombstone_retention_days + 1)).isoformat()
    assert await refused_code(client_for, token, deleted, {"since": too_old}) == "SYNC_EXPIRED"
    for malformed in ("kemarin", "2026-13-45T00:00:00Z", 1700000000):
        code = await refused_code(client_for, token, SAVED, {"since": malformed, **fresh})
        assert code == "BAD_USER_INPUT", malformed
    # A cursor of the listing's own order is not one of its sync order, nor the other way round.
    by_name = (await gql_as(client_for, token, ALL, {"first": 1, "after": None}))["savedSearches"]
    since = (utcnow() - timedelta(minutes=5)).isoformat()
    wrong = {"since": since, "first": 1, "after": by_name["pageInfo"]["endCursor"]}
    assert await refused_code(client_for, token, SAVED, wrong) == "INVALID_PAGINATION"
    synced = (await gql_as(client_for, token, SAVED, {"since": since, **fresh}))["savedSearches"]
    back = {"first": 1, "after": synced["pageInfo"]["endCursor"]}
    assert await refused_code(client_for, token, ALL, back) == "INVALID_PAGINATION"


async def test_old_tombstones_are_pruned_and_recording_twice_writes_once() -> None:
    now = utcnow()
    retention = timedelta(days=90)
    old_id, kept_id = ObjectId(), ObjectId()
    for record_id, at in ((old_id, now - retention - timedelta(days=1)), (kept_id, now - timedelta(days=1))):
        for _ in range(2):
            await record_removal(
                SyncKind.DOCUMENT, record_id, RemovalCause.PURGED, key="purge", region_path=["ID"], at=at
            )
    assert await Tombstone.find({"record_id": {"$in": [old_id, kept_id]}}).count() == 2
    assert await prune_tombstones(now, retention) >= 1
    assert [
        stone.record_id for stone in await Tombstone.find({"record_id": {"$in": [old_id, kept_id]}}).to_list()
    ] == [kept_id]


async def test_notifications_sync_their_reading_and_old_ones_are_backfilled(
    settings: Settings, client_for: Client
) -> None:
    user, token = await new_user(settings, Role.OPERATOR, "31.74")
    created = storable_time(utcnow() - timedelta(hours=1))
    older = Notification(
        user_id=user.id, kind=NotificationKind.REMINDER, title="Laporan", body="Segera", key=f"t:{ObjectId()}"
    )
    await older.insert()
    # As written before sync: no `updated_at` at all.
    await Notification.get_pymongo_collection().update_one(
        {"_id": older.id}, {"$unset": {"updated_at": ""}, "$set": {"created_at": created}}
    )
    assert await backfill_updated_at() >= 1
    query = listing("notifications", "id read updatedAt")
    replica = Replica(query, "NOTIFICATION", since=(created - timedelta(seconds=1)).isoformat())
    await replica.sync(client_for, token)
    assert [row["read"] for row in replica.rows.values()] == [False]
    mark = "mutation($id: ID!) { notificationMarkRead(id: $id) { errors { code } } }"
    (only,) = replica.rows
    for _ in range(2):  # a retried mark answers as the first did
        assert (await gql_as(client_for, token, mark, {"id": only}))["notificationMarkRead"]["errors"] == []
    await replica.sync(client_for, token)
    assert [row["read"] for row in replica.rows.values()] == [True]


async def test_a_retried_saved_search_deletion_answers_its_first_result(
    settings: Settings, client_for: Client
) -> None:
    _, owner = await new_user(settings, Role.OPERATOR, "31.74")
    _, other = await new_user(settings, Role.OPERATOR, "31.74")
    saved_id = await _saved(client_for, owner, "Hapus saya")
    answers = [
        (await gql_as(client_for, owner, DELETE, {"id": saved_id}))["savedSearchDelete"] for _ in range(2)
    ]
    assert answers == [{"deletedId": saved_id, "errors": []}] * 2
    # Anyone else is told, as before, that there is no such saved search.
    refused = (await gql_as(client_for, other, DELETE, {"id": saved_id}))["savedSearchDelete"]
    assert refused == {"deletedId": None, "errors": [{"code": "SAVED_SEARCH_NOT_FOUND"}]}


def test_the_feed_costs_its_page_and_the_argument_nothing_more() -> None:
    schema = build_schema(production=False)._schema

    def price(query: str) -> int:
        return operation_cost(schema, parse(query), None, {})

    assert price("{ deleted(first: 50) { syncedUntil nodes { recordId } } }") == 1 + 50
    assert price("{ deleted(first: 10) { edges { cursor node { kind } } } }") == 1 + 10
    plain = price("{ reports(first: 30) { nodes { id } } }")
    since = price('{ reports(first: 30, updatedSince: "2026-01-01T00:00:00Z") { nodes { id } } }')
    assert since == plain == 1 + 30
