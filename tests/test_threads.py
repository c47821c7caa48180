"""Comments on reports and cases, walked through GraphQL as their users would: who may read and write them
(exactly who may read the record; never partner grants), mentions (only users who may read the record; an
event for notifications), edits and deletions by the author with history kept and audited, paging, retries,
and hostile input (huge bodies, mention floods) refused before any work, writing nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from bson import ObjectId

from hub.access.grants import create_grant
from hub.access.principal import system_principal
from hub.audit.models import AuditEntry
from hub.cases.models import CaseCategory
from hub.cases.services import CaseDraft, open_case
from hub.core.clock import utcnow
from hub.events.models import Event, EventKind
from hub.reports.models import RiskLevel
from hub.threads.models import Comment
from tests.conftest import Account
from tests.graphql import Client, error_code, global_id, gql_as, gql_field_as, post_as, raw_id
from tests.reports_helpers import create_report
from tests.test_reports import fresh_period
from tests.threads_helpers import ADD, DELETE, EDIT, THREAD, user_id


async def _report(client_for: Client, accounts: dict[str, Account], region: str = "31.74") -> str:
    year, quarter = fresh_period()
    report = await create_report(client_for, accounts[f"operator-{region}"].token, region, year, quarter)
    return str(report["id"])


async def _case(region: str = "31.74") -> str:
    opened = await open_case(
        system_principal("tests"),
        CaseDraft(
            title=f"Kendala {uuid.uuid4().hex[:6]}",
            category=CaseCategory.NPHD,
            severity=RiskLevel.MEDIUM,
            due_at=utcnow() + timedelta(days=10),
            region_code=region,
        ),
    )
    return global_id("Case", opened.case.id)


async def _add(client_for: Client, token: str, record: str, body: str, **more: object) -> dict:
    result = await gql_field_as(client_for, token, ADD, {"input": {"record": record, "body": body, **more}})
    assert isinstance(result, dict)
    return result


async def test_a_thread_on_a_report_as_its_readers_see_it(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report = await _report(client_for, accounts)
    coordinator = await user_id("coordinator-31")
    added = await _add(
        client_for,
        accounts["operator-31.74"].token,
        report,
        "  Mohon cek nilai NPHD.  ",
        mentions=[coordinator, coordinator],
    )
    assert added["errors"] == []
    comment = added["comment"]
    assert comment["body"] == "Mohon cek nilai NPHD."
    assert comment["author"] == {"username": "operator-31.74"}
    # Accounts show as users do: the operator does not see its province's accounts, the coordinator does.
    assert comment["mentions"] == []
    seen = await gql_as(
        client_for,
        accounts["coordinator-31"].token,
        "query($id: ID!) { node(id: $id) { ... on Comment { mentions { username } } } }",
        {"id": comment["id"]},
    )
    assert seen["node"]["mentions"] == [{"username": "coordinator-31"}]
    assert comment["recordId"] == report and comment["viewerCanEdit"] is True
    # The mention is a domain event for notifications, naming the comment and who was mentioned.
    event = await Event.find_one(
        {"kind": EventKind.COMMENT_MENTIONED.value, "data.commentId": raw_id(comment["id"])}
    )
    assert event is not None and event.target_id == raw_id(report)
    assert event.data["mentioned"] == [raw_id(coordinator)]
    audit = await AuditEntry.find_one({"target": f"Comment:{raw_id(comment['id'])}", "action": "comment.add"})
    assert audit is not None and audit.actor == "user:operator-31.74"

    for reader in ("coordinator-31", "leader-31", "reviewer", "admin"):
        data = await gql_as(client_for, accounts[reader].token, THREAD, {"id": report})
        thread = data["node"]["comments"]
        assert thread["totalCount"] == 1 and thread["nodes"][0]["id"] == comment["id"], reader
    outside = await gql_as(client_for, accounts["operator-11.01"].token, THREAD, {"id": report})
    assert outside["node"] is None
    node = await gql_as(
        client_for,
        accounts["operator-11.01"].token,
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": comment["id"]},
    )
    assert node["node"] is None
    refused = await _add(client_for, accounts["operator-11.01"].token, report, "Ikut komentar.")
    assert [e["code"] for e in refused["errors"]] == ["RECORD_NOT_FOUND"]


async def test_a_mention_out_of_scope_writes_nothing(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report = await _report(client_for, accounts)
    before = (await Comment.count(), await Event.find({"kind": EventKind.COMMENT_MENTIONED.value}).count())
    inside, outside = await user_id("coordinator-31"), await user_id("operator-11.01")
    for mentions, field in (
        ([inside, outside], "mentions.1"),
        ([global_id("User", "0" * 24)], "mentions.0"),
        ([global_id("Report", raw_id(report))], "mentions.0"),
        (["bukan-id"], None),
    ):
        body = await post_as(
            client_for,
            accounts["operator-31.74"].token,
            ADD,
            {"input": {"record": report, "body": "Halo", "mentions": mentions}},
        )
        if field is None:  # not a global id at all: GraphQL refuses the variable
            assert body["data"] is None
            continue
        errors = body["data"]["commentAdd"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("MENTION_NOT_ALLOWED", field)]
    after = (await Comment.count(), await Event.find({"kind": EventKind.COMMENT_MENTIONED.value}).count())
    assert after == before


async def test_hostile_input_is_refused_before_any_work(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report = await _report(client_for, accounts)
    token = accounts["operator-31.74"].token
    before = await Comment.count()
    flood = [global_id("User", f"{n:024x}") for n in range(500)]
    cases = [
        ({"body": "x" * 5001}, "BODY_TOO_LONG", "body"),
        ({"body": "x" * 400_000}, "BODY_TOO_LONG", "body"),
        ({"body": "   \n "}, "BODY_REQUIRED", "body"),
        # Counted before any id is opened or looked up: the flood is refused as a whole, not at its first id.
        ({"body": "Halo", "mentions": flood}, "TOO_MANY_MENTIONS", "mentions"),
        ({"body": "Halo", "clientMutationId": "k" * 101}, "INVALID_CLIENT_MUTATION_ID", "clientMutationId"),
        ({"body": "Halo", "record": global_id("Region", "31")}, "RECORD_NOT_FOUND", "record"),
        ({"body": "Halo", "record": global_id("Report", "0" * 24)}, "RECORD_NOT_FOUND", "record"),
    ]
    for given, code, field in cases:
        result = await _add(client_for, token, given.pop("record", report), **given)  # type: ignore[arg-type]
        assert [(e["code"], e["field"]) for e in result["errors"]] == [(code, field)], given.keys()
        assert result["comment"] is None
    assert await Comment.count() == before


async def test_the_author_edits_and_deletes_with_history_kept(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    case = await _case()
    author, other = accounts["operator-31.74"].token, accounts["coordinator-31"].token
    added = await _add(client_for, author, case, "Logistik belum tiba.")
    comment_id = added["comment"]["id"]
    edited = await gql_field_as(
        client_for, author, EDIT, {"id": comment_id, "input": {"body": "Logistik tiba Senin."}}
    )
    assert edited["errors"] == []
    assert edited["comment"]["body"] == "Logistik tiba Senin."
    assert [edit["body"] for edit in edited["comment"]["edits"]] == ["Logistik belum tiba."]
    again = await gql_field_as(
        client_for, author, EDIT, {"id": comment_id, "input": {"body": "Logistik tiba Senin."}}
    )
    assert again["comment"]["version"] == edited["comment"]["version"]  # a retried edit adds no history

    for mutation, variables in (
        (EDIT, {"id": comment_id, "input": {"body": "Bukan punyaku."}}),
        (DELETE, {"id": comment_id}),
    ):
        refused = await gql_field_as(client_for, other, mutation, variables)
        assert [e["code"] for e in refused["errors"]] == ["PERMISSION_DENIED"]
    outsider = await gql_field_as(client_for, accounts["operator-11.01"].token, DELETE, {"id": comment_id})
    assert [e["code"] for e in outsider["errors"]] == ["COMMENT_NOT_FOUND"]

    deleted = await gql_field_as(client_for, author, DELETE, {"id": comment_id})
    assert deleted["errors"] == []
    assert deleted["comment"]["deleted"] is True
    assert deleted["comment"]["body"] is None and deleted["comment"]["edits"] == []
    repeated = await gql_field_as(client_for, author, DELETE, {"id": comment_id})
    assert repeated["comment"]["version"] == deleted["comment"]["version"]
    late = await gql_field_as(client_for, author, EDIT, {"id": comment_id, "input": {"body": "Lagi."}})
    assert [e["code"] for e in late["errors"]] == ["COMMENT_DELETED"]

    stored = await Comment.get(raw_id(comment_id))
    assert stored is not None and stored.body == "Logistik tiba Senin." and len(stored.edits) == 1
    actions = [
        e.action
        for e in await AuditEntry.find({"target": f"Comment:{raw_id(comment_id)}"}).sort("seq").to_list()
    ]
    assert actions == ["comment.add", "comment.edit", "comment.delete"]
    thread = (await gql_as(client_for, other, THREAD, {"id": case}))["node"]["comments"]
    assert thread["totalCount"] == 1 and thread["nodes"][0]["deleted"] is True


async def test_a_retried_comment_is_written_once(client_for: Client, accounts: dict[str, Account]) -> None:
    case = await _case()
    token = accounts["coordinator-31"].token
    key = f"hp-{uuid.uuid4().hex[:8]}"
    first = await _add(client_for, token, case, "Sudah dikoordinasikan.", clientMutationId=key)
    second = await _add(client_for, token, case, "Sudah dikoordinasikan.", clientMutationId=key)
    assert second["comment"]["id"] == first["comment"]["id"]
    assert second["clientMutationId"] == key
    assert await Comment.find({"target_id": ObjectId(raw_id(case))}).count() == 1


async def test_a_thread_pages_forwards_and_backwards(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    case = await _case()
    token = accounts["operator-31.74"].token
    ids = [(await _add(client_for, token, case, f"Catatan {n}"))["comment"]["id"] for n in range(5)]
    first = (await gql_as(client_for, token, THREAD, {"id": case, "first": 2}))["node"]["comments"]
    assert [n["id"] for n in first["nodes"]] == ids[:2] and first["pageInfo"]["hasNextPage"] is True
    nxt = await gql_as(
        client_for, token, THREAD, {"id": case, "first": 2, "after": first["pageInfo"]["endCursor"]}
    )
    assert [n["id"] for n in nxt["node"]["comments"]["nodes"]] == ids[2:4]
    last = (await gql_as(client_for, token, THREAD, {"id": case, "last": 2}))["node"]["comments"]
    assert [n["id"] for n in last["nodes"]] == ids[3:] and last["pageInfo"]["hasPreviousPage"] is True


async def test_partner_grants_never_read_or_write_comments(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report = await _report(client_for, accounts)
    await _add(client_for, accounts["operator-31.74"].token, report, "Internal.")
    # Even a grant that lists the thread's fields is refused: comments are staff's discussion.
    grant = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=["Report.title", "Report.comments", "Comment.body"],
        expires_at=utcnow() + timedelta(days=3),
    )
    query = """query($id: ID!) { node(id: $id) { ... on Report { title comments { nodes { body } } } } }"""
    body = await post_as(client_for, grant.token, query, {"id": report})
    assert error_code(body) == "PERMISSION_DENIED"
    assert "Internal." not in str(body)
    written = await post_as(client_for, grant.token, ADD, {"input": {"record": report, "body": "Dari KPU."}})
    assert written["data"] is None and error_code(written) == "PERMISSION_DENIED"
    bare = await create_grant(
        actor="user:admin",
        agency="Bawaslu",
        region_roots=["31"],
        fields=["Report.title"],
        expires_at=utcnow() + timedelta(days=3),
    )
    refused = await post_as(client_for, bare.token, query, {"id": report})
    assert error_code(refused) == "FIELD_NOT_GRANTED"
