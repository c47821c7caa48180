"""The audit trail through the API: admins read every entry, reviewers the entries of records in their
regions, everyone else nothing; entries carry the values before and after (never a secret); filters by
record, user, action and time; hostile filters get typed errors; the chain's state is checked from the
latest checkpoint at a bounded cost."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from starlette.applications import Starlette

from hub.access.grants import create_grant
from hub.access.models import PartnerGrant, User
from hub.access.principal import Principal, PrincipalKind
from hub.access.roles import Role
from hub.access.scope import Scope
from hub.audit.anchor import checkpoint_now
from hub.audit.models import AuditEntry
from hub.audit.trail import TrailFilter, backfill_region_paths, list_entries
from hub.audit.values import MAX_VALUE_CHARS, SECRET_MARK, before_after
from hub.audit.verification import verify_since_checkpoint
from hub.clients import Clients
from hub.core.clock import utcnow
from tests.conftest import Account
from tests.graphql import Client, app_clients, error_code, global_id, gql_as, gql_field_as, post_as, raw_id
from tests.reports_helpers import UPDATE, content, create_report
from tests.test_reports import fresh_period

TRAIL = """query($f: AuditEntryFilter, $first: Int, $after: String) {
  auditEntries(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { seq actionName target recordId at actorName regionCode user { username }
      values { field before after } changeJson } } }"""
VERIFY = (
    """{ auditVerification { state headSeq entriesChecked brokenSeq problem checkpoint { seq hash } } }"""
)


@dataclass(frozen=True)
class World:
    report: str  # global id of a report in 31.74, created then updated by operator-31.74
    grant: str  # global id of a partner grant (no region)
    grant_token: str
    operator: str  # global id of operator-31.74
    long_narrative: str


@pytest.fixture(scope="module")
async def world(app: Starlette, accounts: dict[str, Account]) -> World:
    client_for = app_clients(app)
    operator = accounts["operator-31.74"]
    year, quarter = fresh_period()
    report = await create_report(client_for, operator.token, "31.74", year, quarter, content(narratives={}))
    long_narrative = "Panjang " * 400
    updated = await gql_field_as(
        client_for,
        operator.token,
        UPDATE,
        {
            "id": report["id"],
            "input": {
                "content": {
                    "title": "Laporan diperbarui",
                    **content({"parties_active": 14}, {"introduction": long_narrative}),
                }
            },
        },
    )
    assert updated["errors"] == [], updated
    made = await create_grant(
        actor="user:admin",
        agency=f"Bawaslu {uuid.uuid4().hex[:6]}",
        region_roots=["31"],
        fields=["Report.title"],
        expires_at=utcnow() + timedelta(days=3),
    )
    account = await User.find_one({"username": operator.username})
    assert account is not None
    return World(
        report=report["id"],
        grant=global_id("PartnerGrant", made.grant.id),
        grant_token=made.token,
        operator=global_id("User", account.id),
        long_narrative=long_narrative,
    )


async def _trail(client_for: Client, token: str | None, **given: Any) -> dict[str, Any]:
    result: dict[str, Any] = await gql_field_as(client_for, token, TRAIL, given)
    return result


async def test_an_admin_reads_who_changed_a_report_with_the_values_before_and_after(
    world: World, client_for: Client, accounts: dict[str, Account]
) -> None:
    found = await _trail(client_for, accounts["admin"].token, f={"record": world.report})
    actions = [node["actionName"] for node in found["nodes"]]
    assert actions[:2] == ["report.update", "report.create"] and found["totalCount"] == len(actions)
    update = found["nodes"][0]
    assert update["recordId"] == world.report and update["target"] == f"Report:{raw_id(world.report)}"
    assert update["user"] == {"username": "operator-31.74"} and update["actorName"] == "user:operator-31.74"
    assert update["regionCode"] == "31.74"
    values = {value["field"]: value for value in update["values"]}
    assert values["title"]["after"] == '"Laporan diperbarui"'
    assert values["title"]["before"] is not None and values["title"]["before"] != values["title"]["after"]
    assert values["values.parties_active"] == {
        "field": "values.parties_active",
        "before": None,
        "after": "14",
    }
    # A long value is kept bounded: cut, marked with `…`.
    narrative = values["narratives.introduction"]["after"]
    assert narrative.endswith('…"') and len(narrative) < MAX_VALUE_CHARS + 10 < len(world.long_narrative)


async def test_filters_by_user_action_and_time(
    world: World, client_for: Client, accounts: dict[str, Account]
) -> None:
    admin = accounts["admin"].token
    mine = await _trail(client_for, admin, f={"user": world.operator, "actions": ["report.update"]})
    assert mine["nodes"] and {node["actorName"] for node in mine["nodes"]} == {"user:operator-31.74"}
    assert {node["actionName"] for node in mine["nodes"]} == {"report.update"}
    assert world.report in {node["recordId"] for node in mine["nodes"]}
    (update,) = (await _trail(client_for, admin, f={"record": world.report, "actions": ["report.update"]}))[
        "nodes"
    ]
    at = update["at"]
    window = await _trail(client_for, admin, f={"record": world.report, "from": at, "to": at})
    assert [node["seq"] for node in window["nodes"]] == [update["seq"]]
    later = await _trail(
        client_for, admin, f={"record": world.report, "from": (utcnow() + timedelta(hours=1)).isoformat()}
    )
    assert later == {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "nodes": []}
    # Paging: one entry at a time, newest first, then the next.
    first = await _trail(client_for, admin, f={"record": world.report}, first=1)
    second = await _trail(
        client_for, admin, f={"record": world.report}, first=1, after=first["pageInfo"]["endCursor"]
    )
    assert first["nodes"][0]["seq"] > second["nodes"][0]["seq"]


async def test_reviewers_read_only_entries_of_records_in_their_regions(
    world: World, client_for: Client, accounts: dict[str, Account]
) -> None:
    reviewer = accounts["reviewer"].token
    report = await _trail(client_for, reviewer, f={"record": world.report})
    assert [node["actionName"] for node in report["nodes"]][:2] == ["report.update", "report.create"]
    grant = await _trail(client_for, reviewer, f={"record": world.grant})
    assert grant["totalCount"] == 0  # a grant has no region: admins only
    admin_grant = await _trail(client_for, accounts["admin"].token, f={"record": world.grant})
    assert [node["actionName"] for node in admin_grant["nodes"]] == ["partner_grant.create"]
    everything = await _trail(client_for, reviewer, first=100)
    assert all(node["regionCode"] for node in everything["nodes"])
    # A reviewer's scope is the country; the same listing for a scope of Aceh leaves Jakarta's report out.
    aceh = Principal(PrincipalKind.USER, "r", "r", Scope.subtrees(["11"]), role=Role.REVIEWER)
    page = await list_entries(
        aceh, TrailFilter(target=f"Report:{raw_id(world.report)}"), after=None, first=10
    )
    assert page.total_count == 0
    jakarta = Principal(PrincipalKind.USER, "r", "r", Scope.subtrees(["31"]), role=Role.REVIEWER)
    page = await list_entries(
        jakarta, TrailFilter(target=f"Report:{raw_id(world.report)}"), after=None, first=10
    )
    assert page.total_count >= 2


@pytest.mark.parametrize("who", ["operator-31.74", "coordinator-31", "leader-31", "partner", "nobody"])
async def test_others_are_refused(
    who: str, world: World, client_for: Client, accounts: dict[str, Account]
) -> None:
    tokens: dict[str, str | None] = {"partner": world.grant_token, "nobody": None}
    token = tokens[who] if who in tokens else accounts[who].token
    for query in (TRAIL, VERIFY):
        body = await post_as(client_for, token, query, {})
        assert body["data"] is None
        expected = {"nobody": {"UNAUTHENTICATED"}, "partner": {"PERMISSION_DENIED", "FIELD_NOT_GRANTED"}}
        assert error_code(body) in expected.get(who, {"PERMISSION_DENIED"}), body


async def test_no_entry_holds_a_secret(
    world: World, client_for: Client, accounts: dict[str, Account]
) -> None:
    admin = accounts["admin"].token
    rotated = await gql_field_as(
        client_for,
        admin,
        "mutation($id: ID!) { partnerGrantTokenRotate(id: $id) { token errors { code } } }",
        {"id": world.grant},
    )
    assert rotated["errors"] == []
    created = await gql_field_as(
        client_for,
        admin,
        """mutation($name: String!) { userCreate(input: {username: $name, password: "kata-sandi-rahasia-9",
          role: OPERATOR, region: "75.01"}) { user { id } errors { code } } }""",
        {"name": f"op-{uuid.uuid4().hex[:8]}"},
    )
    assert created["errors"] == []
    grant = await PartnerGrant.get(raw_id(world.grant))
    user = await User.get(raw_id(created["user"]["id"]))
    assert grant is not None and user is not None
    secrets = [
        grant.token_hash,
        user.password_hash,
        rotated["token"],
        rotated["token"].partition(".")[2],
        "kata-sandi-rahasia-9",
    ]
    entries = await _trail(client_for, admin, f={"record": world.grant})
    entries["nodes"] += (await _trail(client_for, admin, f={"record": created["user"]["id"]}))["nodes"]
    text = str(entries)
    assert "partner_grant.rotate_token" in text and "user.create" in text
    assert not [secret for secret in secrets if secret in text]
    stored = await AuditEntry.find(
        {"target": {"$in": [f"PartnerGrant:{grant.id}", f"User:{user.id}"]}}
    ).to_list()
    assert not [secret for secret in secrets if secret in str([entry.change for entry in stored])]
    rotation = next(node for node in entries["nodes"] if node["actionName"] == "partner_grant.rotate_token")
    assert rotation["values"] == [
        {"field": "token_hash", "before": f'"{SECRET_MARK}"', "after": f'"{SECRET_MARK}"'}
    ]


def test_values_are_bounded_and_secret_fields_masked() -> None:
    change = before_after(
        {"password_hash": "$argon2id$x", "notes": {"a": "x" * 5000}, "same": 1},
        {"password_hash": "$argon2id$y", "notes": {"a": "y"}, "same": 1},
    )
    assert change["fields"] == ["notes.a", "password_hash"]
    assert change["before"]["password_hash"] == change["after"]["password_hash"] == SECRET_MARK
    assert len(change["before"]["notes.a"]) == MAX_VALUE_CHARS + 1 and change["after"]["notes.a"] == "y"
    many = before_after({f"k{i}": "x" * 900 for i in range(20)}, {})
    assert sum(len(str(value)) for value in many["before"].values()) < 10_000


HOSTILE = [
    ({"user": global_id("Report", "65f000000000000000000000")}, "INVALID_FILTER"),
    ({"user": global_id("User", "65f000000000000000000000")}, "USER_NOT_FOUND"),
    ({"user": global_id("User", "not-an-id")}, "USER_NOT_FOUND"),
    ({"actions": [f"a{i}" for i in range(21)]}, "INVALID_FILTER"),
    ({"actions": ["x" * 500]}, "INVALID_FILTER"),
    ({"actions": [""]}, "INVALID_FILTER"),
    ({"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "INVALID_FILTER"),
    ({"record": "definitely not a global id"}, "BAD_USER_INPUT"),
    ({"record": global_id("Report", '{"$gt": ""}')}, None),  # a plain string: matches nothing
    ({"actions": ['{"$ne": null}']}, None),
]


@pytest.mark.parametrize(("given", "code"), HOSTILE)
async def test_hostile_filters_get_typed_errors(
    given: dict[str, Any], code: str | None, world: World, client_for: Client, accounts: dict[str, Account]
) -> None:
    body = await post_as(client_for, accounts["admin"].token, TRAIL, {"f": given})
    if code is None:
        assert body["data"]["auditEntries"]["totalCount"] == 0, body
    else:
        assert body["data"] is None and error_code(body) == code, body
    cursor = await post_as(client_for, accounts["admin"].token, TRAIL, {"after": "bm9wZQ=="})
    assert error_code(cursor) == "INVALID_PAGINATION"


async def test_the_chain_is_checked_from_the_latest_checkpoint(
    world: World, client_for: Client, accounts: dict[str, Account], clients: Clients
) -> None:
    admin = accounts["admin"].token
    written = (await checkpoint_now(clients.store)).written
    state = (await gql_as(client_for, admin, VERIFY))["auditVerification"]
    assert state["state"] == "SOUND" and state["problem"] is None
    head = await AuditEntry.find_one({}, sort=[("seq", -1)])
    assert head is not None and state["headSeq"] >= head.seq - 5
    mark = state["checkpoint"]
    assert mark is not None and (written is None or mark["seq"] >= written.seq)
    # Cheap: only what came since the checkpoint is read (the checkpoint's own entry, and any linked since).
    assert state["entriesChecked"] == state["headSeq"] - mark["seq"] + 1
    assert (await verify_since_checkpoint(clients.store, limit=-1)).state.value == "UNCHECKED"
    # A tampered entry after the checkpoint is found; the entry is put back as it was.
    await gql_field_as(
        client_for,
        accounts["operator-31.74"].token,
        UPDATE,
        {"id": world.report, "input": {"content": {"title": "Lagi"}}},
    )
    tail = await AuditEntry.find_one({"target": f"Report:{raw_id(world.report)}"}, sort=[("seq", -1)])
    assert tail is not None and tail.seq > mark["seq"]
    raw = AuditEntry.get_pymongo_collection()
    await raw.update_one({"_id": tail.id}, {"$set": {"actor": "user:someone-else"}})
    try:
        broken = (await gql_as(client_for, admin, VERIFY))["auditVerification"]
    finally:
        await raw.update_one({"_id": tail.id}, {"$set": {"actor": tail.actor}})
    assert broken["state"] == "BROKEN" and broken["brokenSeq"] == tail.seq
    assert (await gql_as(client_for, admin, VERIFY))["auditVerification"]["state"] == "SOUND"


async def test_older_entries_get_their_region_path_from_the_backfill(world: World, clients: Clients) -> None:
    target = f"Report:{raw_id(world.report)}"
    raw = AuditEntry.get_pymongo_collection()
    await raw.update_many({"target": target}, {"$unset": {"region_path": ""}})
    reviewer = Principal(PrincipalKind.USER, "r", "r", Scope.everything(), role=Role.REVIEWER)
    assert (await list_entries(reviewer, TrailFilter(target=target), after=None, first=10)).total_count == 0
    assert await backfill_region_paths() >= 2
    entries = await AuditEntry.find({"target": target}).to_list()
    assert {tuple(entry.region_path or ()) for entry in entries} == {("ID", "31", "31.74")}
    assert (
        await list_entries(reviewer, TrailFilter(target=target), after=None, first=10)
    ).total_count == len(entries)
    assert (await verify_since_checkpoint(clients.store)).state.value == "SOUND"  # not hashed: still verifies
