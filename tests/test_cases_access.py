"""Who may see and change cases: the scope hides them, leaders read, partners read granted fields only."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from hub.access.grants import create_grant
from hub.cases.models import Case
from hub.clients import Clients
from hub.core.clock import utcnow
from tests.case_factories import (
    ASSIGN,
    CREATE,
    FOLLOW_UP,
    NODE,
    RESOLVE,
    case_input,
    codes,
    create_case,
    make_document,
    refused_create,
    unchanged_after,
    user_global_id,
)
from tests.conftest import Account
from tests.graphql import Client, gql_field_as, post_as, region_id


@pytest.fixture(scope="module")
async def evidence(seeded: Clients) -> dict[str, str]:
    return {"31.74": await make_document(seeded, "31.74"), "11.01": await make_document(seeded, "11.01")}


async def test_outside_the_scope_a_case_does_not_exist_and_cannot_be_touched(
    client_for: Client, accounts: dict[str, Account], evidence: dict[str, str]
) -> None:
    case = await create_case(
        client_for, accounts["operator-31.74"].token, stageCode=f"s{uuid.uuid4().hex[:8]}"
    )
    aceh = accounts["operator-11.01"].token
    assert (await gql_field_as(client_for, aceh, NODE, {"id": case["id"]}, "node")) is None
    listed = await gql_field_as(
        client_for,
        aceh,
        "query($s: String!) { cases(filter: {stageCode: $s}) { totalCount nodes { id } } }",
        {"s": case["stageCode"]},
        "cases",
    )
    assert listed == {"totalCount": 0, "nodes": []}
    attempts = [
        (FOLLOW_UP, "caseFollowUpAdd", {"note": "x"}),
        (ASSIGN, "caseAssign", {"assignee": await user_global_id("operator-11.01")}),
        (RESOLVE, "caseResolve", {"note": "x", "evidence": [evidence["11.01"]]}),
    ]
    for query, field, given in attempts:
        payload = await unchanged_after(
            case["id"], gql_field_as(client_for, aceh, query, {"id": case["id"], "input": given}, field)
        )
        # The same answer as for a case that does not exist: the id tells nothing.
        assert codes(payload) == ["CASE_NOT_FOUND"]
    refused = await refused_create(client_for, aceh, region=region_id("31.74"))
    assert codes(refused) == ["PERMISSION_DENIED"]


async def test_leaders_read_but_cannot_write(client_for: Client, accounts: dict[str, Account]) -> None:
    case = await create_case(client_for, accounts["operator-31.74"].token)
    leader = accounts["leader-31"].token
    seen = await gql_field_as(client_for, leader, NODE, {"id": case["id"]}, "node")
    assert (seen["id"], seen["viewerCanResolve"]) == (case["id"], False)
    assert codes(await refused_create(client_for, leader)) == ["PERMISSION_DENIED"]
    payload = await unchanged_after(
        case["id"],
        gql_field_as(
            client_for, leader, FOLLOW_UP, {"id": case["id"], "input": {"note": "x"}}, "caseFollowUpAdd"
        ),
    )
    assert codes(payload) == ["PERMISSION_DENIED"]


async def test_partners_read_granted_fields_and_never_write(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    case = await create_case(client_for, accounts["operator-31.74"].token)
    grant = await create_grant(
        actor="user:admin",
        agency="Bawaslu",
        region_roots=["31"],
        fields=["Case.title", "Case.status"],
        expires_at=utcnow() + timedelta(days=2),
    )
    query = "query($id: ID!) { node(id: $id) { id ... on Case { title status } } }"
    read = await gql_field_as(client_for, grant.token, query, {"id": case["id"]}, "node")
    assert read == {"id": case["id"], "title": case["title"], "status": "OPEN"}
    refused = await post_as(client_for, grant.token, NODE, {"id": case["id"]})
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FIELD_NOT_GRANTED"
    before = await Case.find_all().count()
    written = await post_as(client_for, grant.token, CREATE, {"input": case_input()})
    assert written["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert await Case.find_all().count() == before


WRITERS_IN_31_74 = {"admin", "reviewer", "coordinator-31", "operator-31.74"}


@pytest.mark.parametrize(
    "who",
    ["admin", "reviewer", "leader-31", "coordinator-31", "operator-31.74", "operator-11.01", "no-token"],
)
async def test_who_may_open_and_see_a_case_in_31_74(
    client_for: Client, accounts: dict[str, Account], who: str
) -> None:
    token = accounts[who].token if who in accounts else None
    body = await post_as(client_for, token, CREATE, {"input": case_input()})
    if token is None:
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        return
    payload = body["data"]["caseCreate"]
    if who in WRITERS_IN_31_74:
        assert payload["errors"] == []
        assert payload["case"]["viewerCanResolve"] is True
    else:
        assert codes(payload) == ["PERMISSION_DENIED"]
    case = await create_case(client_for, accounts["admin"].token)
    seen = await gql_field_as(client_for, token, NODE, {"id": case["id"]}, "node")
    assert (seen is not None) is (who != "operator-11.01")
