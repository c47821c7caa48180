"""The periodic check of saved searches: one notification per saved search and window, never twice, only
what the owner may see now, nothing for inactive owners, nothing lost to slow indexing or a crash."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest

from hub.access.principal import Principal
from hub.access.roles import Role
from hub.access.users import change_role, deactivate_user
from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.notifications.models import NotificationKind
from hub.reports.models import Report
from hub.searches.checks import notification_key
from hub.searches.models import SavedSearch
from hub.settings import Settings
from search.indexer import bulk_index
from search.kinds import REPORT_KIND
from tests.conftest import Account
from tests.graphql import Client, global_id, gql_as, raw_id
from tests.saved_search_helpers import check, new_user, notifications_of, report, runner, save, stored
from tests.search_corpus import ensure_search_indices, new_marker, quarterly
from workers.celery_app import create_celery
from workers.saved_searches import IndexSearchRunner


@pytest.fixture(autouse=True)
async def indices(seeded: Clients) -> None:
    await ensure_search_indices(seeded)


async def _saved(client_for: Client, token: str, marker: str, **fields: Any) -> str:
    payload = await save(client_for, token, f"Pantauan {marker}", query=marker, **{"notify": True, **fields})
    assert payload["errors"] == [], payload
    await asyncio.sleep(0.01)  # records made next are created strictly after it
    return raw_id(payload["savedSearch"]["id"])


async def test_new_results_notify_once_and_only_inside_the_scope(
    seeded: Clients, accounts: dict[str, Account], client_for: Client
) -> None:
    marker = new_marker()
    saved_id = await _saved(client_for, accounts["operator-31.74"].token, marker)
    first = await report(seeded, "31.74", marker)
    now = utcnow()
    await check(seeded, now)
    (notice,) = await notifications_of(saved_id)
    saved = await stored(saved_id)
    assert notice.kind is NotificationKind.SAVED_SEARCH and notice.target_type == "SavedSearch"
    assert notice.key == notification_key(saved_id, saved.last_checked_at)
    assert notice.title == f"1 new result for “Pantauan {marker}”" and notice.read_at is None
    assert str(notice.user_id) == str(saved.user_id)
    assert saved.check_lease_until is None and saved.check_window_end is None

    await check(seeded, now)  # the same run again
    await check(seeded)  # a later run with nothing new
    assert len(await notifications_of(saved_id)) == 1

    await report(seeded, "31.74", marker, "rapat koordinasi")
    await report(seeded, "31.74", marker, "rapat evaluasi")
    await check(seeded)
    notices = await notifications_of(saved_id)
    assert [item.title.split(" new")[0] for item in notices] == ["1", "2"]

    await report(seeded, "31.71", marker)  # matches, but outside the operator's regency
    await report(seeded, "11.01", marker)
    await check(seeded)
    assert len(await notifications_of(saved_id)) == 2
    assert first.created_at <= (await stored(saved_id)).last_checked_at


async def test_concurrent_runs_notify_once(
    seeded: Clients, accounts: dict[str, Account], client_for: Client
) -> None:
    marker = new_marker()
    saved_id = await _saved(client_for, accounts["operator-31.74"].token, marker)
    await report(seeded, "31.74", marker)
    now = utcnow()
    await asyncio.gather(*(check(seeded, now + timedelta(milliseconds=step)) for step in range(4)))
    assert len(await notifications_of(saved_id)) == 1


async def test_a_narrowed_owner_is_notified_only_of_the_narrower_scope(
    seeded: Clients, settings: Settings, client_for: Client
) -> None:
    user, token = await new_user(settings, Role.COORDINATOR, "31")
    marker = new_marker()
    saved_id = await _saved(client_for, token, marker)
    await report(seeded, "31.71", marker)
    await check(seeded)
    assert len(await notifications_of(saved_id)) == 1
    await change_role(str(user.id), Role.OPERATOR, "31.74")
    await report(seeded, "31.71", marker)  # the coordinator would have seen it; the operator may not
    await check(seeded)
    assert len(await notifications_of(saved_id)) == 1
    await report(seeded, "31.74", marker)
    await check(seeded)
    assert len(await notifications_of(saved_id)) == 2


async def test_inactive_owners_are_skipped(seeded: Clients, settings: Settings, client_for: Client) -> None:
    user, token = await new_user(settings, Role.OPERATOR, "31.74")
    marker = new_marker()
    saved_id = await _saved(client_for, token, marker)
    checked_at = (await stored(saved_id)).last_checked_at
    await deactivate_user(str(user.id))
    await report(seeded, "31.74", marker)
    await check(seeded)
    assert await notifications_of(saved_id) == []
    assert (await stored(saved_id)).last_checked_at == checked_at


async def test_saved_searches_without_notify_are_not_checked(
    seeded: Clients, accounts: dict[str, Account], client_for: Client
) -> None:
    marker = new_marker()
    saved_id = await _saved(client_for, accounts["operator-31.74"].token, marker + "x", notify=False)
    checked_at = (await stored(saved_id)).last_checked_at
    await check(seeded)
    assert (await stored(saved_id)).last_checked_at == checked_at


async def test_a_record_indexed_late_is_notified_in_a_later_window(
    seeded: Clients, accounts: dict[str, Account], client_for: Client
) -> None:
    """A record waiting to be indexed (a scan being OCRed) holds the window back instead of being skipped."""
    marker = new_marker()
    saved_id = await _saved(client_for, accounts["operator-31.74"].token, marker)
    await report(seeded, "31.74", marker)
    now = utcnow() + timedelta(minutes=2)
    # Waiting to be indexed, stamped just before `now` (the horizon below looks at the last 10 s only, so
    # records other tests left unindexed do not hold this test's windows back).
    slow = await quarterly("31.74", 2026, 3, f"Lambat {marker}", f"Dokumen terlambat {marker}")
    await Report.get_pymongo_collection().update_one(
        {"_id": slow.id}, {"$set": {"created_at": now - timedelta(seconds=1)}}
    )
    late = runner(seeded, pending_horizon=timedelta(seconds=10))
    await check(seeded, now, using=late)
    (notice,) = await notifications_of(saved_id)
    assert notice.title.startswith("1 new result")
    assert (await stored(saved_id)).last_checked_at < now - timedelta(seconds=1)

    fresh = await Report.get(slow.id)
    assert fresh is not None
    await bulk_index(
        seeded.es,
        REPORT_KIND,
        [fresh],
        target=REPORT_KIND.alias(seeded.settings.es_index_prefix),
        refresh=True,
    )
    await check(seeded, now + timedelta(seconds=5), using=late)
    notices = await notifications_of(saved_id)
    assert [item.title.split(" new")[0] for item in notices] == ["1", "1"]


NOTIFICATIONS = """query($unread: Boolean!, $first: Int, $after: String) {
  notifications(unreadOnly: $unread, first: $first, after: $after) {
    totalCount unreadCount pageInfo { hasNextPage endCursor }
    nodes { id kind title body read readAt targetId } } }"""
MARK_READ = (
    "mutation($id: ID!) { notificationMarkRead(id: $id) { errors { code } notification { id read } } }"
)
MARK_ALL = "mutation { notificationMarkAllRead { markedCount errors { code } } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"


async def test_notifications_are_the_owners_to_list_and_mark_read(
    seeded: Clients, settings: Settings, accounts: dict[str, Account], client_for: Client
) -> None:
    user, token = await new_user(settings, Role.OPERATOR, "31.74")
    marker = new_marker()
    saved_id = await _saved(client_for, token, marker)
    started = utcnow()
    await report(seeded, "31.74", marker)
    await check(seeded)
    listed = (await gql_as(client_for, token, NOTIFICATIONS, {"unread": True}))["notifications"]
    assert (listed["totalCount"], listed["unreadCount"]) == (1, 1)
    (notice,) = listed["nodes"]
    assert (notice["kind"], notice["read"], notice["readAt"]) == ("SAVED_SEARCH", False, None)
    assert notice["targetId"] == global_id("SavedSearch", saved_id) and marker in notice["body"]

    other = accounts["operator-31.74"].token
    assert (await gql_as(client_for, other, NODE, {"id": notice["id"]}))["node"] is None
    refused = (await gql_as(client_for, other, MARK_READ, {"id": notice["id"]}))["notificationMarkRead"]
    assert [error["code"] for error in refused["errors"]] == ["NOTIFICATION_NOT_FOUND"]
    assert (await gql_as(client_for, token, NODE, {"id": notice["id"]}))["node"] == {"id": notice["id"]}

    for _ in range(2):  # marking twice changes nothing more
        marked = (await gql_as(client_for, token, MARK_READ, {"id": notice["id"]}))["notificationMarkRead"]
        assert marked == {"errors": [], "notification": {"id": notice["id"], "read": True}}
    assert (await gql_as(client_for, token, NOTIFICATIONS, {"unread": True}))["notifications"][
        "totalCount"
    ] == 0

    await report(seeded, "31.74", marker)
    await check(seeded)
    everything = (await gql_as(client_for, token, NOTIFICATIONS, {"unread": False, "first": 1}))[
        "notifications"
    ]
    assert (everything["totalCount"], everything["unreadCount"]) == (2, 1)
    assert everything["pageInfo"]["hasNextPage"] is True and everything["nodes"][0]["read"] is False
    after = everything["pageInfo"]["endCursor"]
    older = await gql_as(client_for, token, NOTIFICATIONS, {"unread": False, "first": 1, "after": after})
    assert [node["id"] for node in older["notifications"]["nodes"]] == [notice["id"]]
    assert (await gql_as(client_for, token, MARK_ALL, {}))["notificationMarkAllRead"]["markedCount"] == 1
    assert (await gql_as(client_for, token, MARK_ALL, {}))["notificationMarkAllRead"]["markedCount"] == 0
    actor = f"user:{user.username}"
    entries = await AuditEntry.find({"at": {"$gte": started}, "actor": actor}).sort("seq").to_list()
    assert [(entry.action, entry.target) for entry in entries] == [
        ("notification.mark_read", f"Notification:{raw_id(notice['id'])}"),
        ("notification.mark_all_read", f"User:{user.id}"),
    ]


class _FailingOnce:
    """The worker's runner, failing once for one saved search after the window was claimed."""

    def __init__(self, inner: IndexSearchRunner, saved_id: str) -> None:
        self.inner = inner
        self.saved_id = saved_id
        self.failed = False

    async def indexed_until(self, now: datetime) -> datetime:
        return await self.inner.indexed_until(now)

    async def count_new(
        self, principal: Principal, saved: SavedSearch, *, after: datetime, until: datetime
    ) -> int:
        if str(saved.id) == self.saved_id and not self.failed:
            self.failed = True
            raise ConnectionError("search index unreachable")
        return await self.inner.count_new(principal, saved, after=after, until=until)


async def test_a_failed_check_resumes_its_claimed_window(
    seeded: Clients, accounts: dict[str, Account], client_for: Client
) -> None:
    marker = new_marker()
    saved_id = await _saved(client_for, accounts["operator-31.74"].token, marker)
    await report(seeded, "31.74", marker)
    failing = _FailingOnce(runner(seeded), saved_id)
    outcome = await check(seeded, using=failing)
    assert outcome.failed >= 1 and await notifications_of(saved_id) == []
    claimed = (await stored(saved_id)).check_window_end
    assert claimed is not None and (await stored(saved_id)).check_lease_until is None

    await report(seeded, "31.74", marker)  # after the claimed window: the next run's
    await check(seeded, using=failing)
    (notice,) = await notifications_of(saved_id)
    assert notice.key == notification_key(saved_id, claimed) and notice.title.startswith("1 new result")
    await check(seeded, using=failing)
    assert [item.title.split(" new")[0] for item in await notifications_of(saved_id)] == ["1", "1"]


def test_the_check_runs_on_the_beat_schedule(settings: Settings) -> None:
    app = create_celery(settings)
    entry = app.conf.beat_schedule["check-saved-searches"]
    assert entry["task"] == "pantau.check_saved_searches"
    assert entry["schedule"] == settings.saved_search_interval_seconds
    assert Settings.model_fields["saved_search_interval_seconds"].default == 900
    import workers.tasks  # noqa: F401  (registers the tasks)

    assert "pantau.check_saved_searches" in app.tasks
