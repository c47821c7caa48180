"""Refusals that tell nothing: a record out of sight answers exactly as a missing one (the noun's NOT_FOUND),
errors name no user, a retry re-checks the scope of the principal as it is now, and malformed ids or misplaced
uploads get typed errors, never a failure inside."""

from __future__ import annotations

import uuid
from typing import Any

from beanie import PydanticObjectId

from hub.access.models import User
from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import change_role, create_user, deactivate_user
from hub.clients import Clients
from hub.documents.models import StoredDocument
from hub.settings import Settings
from tests.case_factories import ASSIGN, FOLLOW_UP, RESOLVE, case_input, create_case, make_document
from tests.case_factories import CREATE as CASE_CREATE
from tests.conftest import TEST_PASSWORD, Account
from tests.documents_helpers import CONFIRM, REQUEST, post_file, sha256_of, unique_pdf
from tests.graphql import (
    UPLOAD_MUTATION,
    Client,
    global_id,
    gql_field_as,
    payload,
    post,
    post_as,
    region_id,
    upload,
)
from tests.reports_helpers import INCIDENT
from tests.test_incidents import incident

HOME, ELSEWHERE = "81.01", "81.02"  # regencies of Maluku that no other test uses


async def _user(role: Role, region: str) -> tuple[User, str]:
    username = f"refusal-{role.value}-{uuid.uuid4().hex[:6]}"
    user = await create_user(username=username, password=TEST_PASSWORD, role=role, region_code=region)
    return user, username


async def test_assignee_refusals_are_one_answer_that_names_nobody(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    case = await create_case(client_for, accounts["operator-31.74"].token)
    elsewhere, elsewhere_name = await _user(Role.OPERATOR, "11.01")
    leader, leader_name = await _user(Role.LEADER, "31")
    gone, gone_name = await _user(Role.OPERATOR, "31.74")
    await deactivate_user(str(gone.id))
    candidates = {
        "elsewhere": global_id("User", elsewhere.id),
        "leader": global_id("User", leader.id),
        "gone": global_id("User", gone.id),
        "nobody": global_id("User", PydanticObjectId()),
    }
    # Aliased, as an attacker would probe many users in one request.
    fields = " ".join(
        f'{alias}: caseAssign(id: "{case["id"]}", input: {{assignee: "{user}"}}) '
        "{ errors { field message code } }"
        for alias, user in candidates.items()
    )
    body = await post_as(client_for, accounts["operator-31.74"].token, f"mutation {{ {fields} }}")
    errors = {alias: answer["errors"] for alias, answer in body["data"].items()}
    assert len({str(found) for found in errors.values()}) == 1, errors
    assert errors["nobody"] == [
        {"field": "assignee", "message": "no such user you may assign", "code": "USER_NOT_FOUND"}
    ]
    text = str(list(errors.values()))
    for revealing in (elsewhere_name, leader_name, gone_name, "11.01", "leader", "deactivated"):
        assert revealing not in text


async def test_a_case_out_of_scope_answers_as_a_missing_one(
    client_for: Client, accounts: dict[str, Account], seeded: Clients
) -> None:
    case = await create_case(client_for, accounts["operator-31.74"].token)
    missing = global_id("Case", PydanticObjectId())
    evidence = await make_document(seeded, "11.01")
    aceh = accounts["operator-11.01"].token
    attempts = [
        (FOLLOW_UP, "caseFollowUpAdd", {"note": "x"}),
        (ASSIGN, "caseAssign", {"assignee": global_id("User", PydanticObjectId())}),
        (RESOLVE, "caseResolve", {"note": "x", "evidence": [evidence]}),
    ]
    for query, field, given in attempts:
        answers = [
            await gql_field_as(client_for, aceh, query, {"id": target, "input": given}, field)
            for target in (case["id"], missing)
        ]
        assert answers[0] == answers[1]
        assert [error["code"] for error in answers[0]["errors"]] == ["CASE_NOT_FOUND"]


async def test_a_leader_who_sees_a_case_is_denied_not_told_it_is_missing(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    case = await create_case(client_for, accounts["operator-31.74"].token)
    given = {"id": case["id"], "input": {"note": "x"}}
    answer = await gql_field_as(client_for, accounts["leader-31"].token, FOLLOW_UP, given, "caseFollowUpAdd")
    assert [error["code"] for error in answer["errors"]] == ["PERMISSION_DENIED"]


# ---- retries after the principal moved ---------------------------------------------------------------------


async def _moved_operator(settings: Settings) -> tuple[User, str]:
    """An operator of HOME, signed in; the caller moves it to ELSEWHERE with `change_role`."""
    user, username = await _user(Role.OPERATOR, HOME)
    return user, (await login(settings, username, TEST_PASSWORD)).access_token


def _codes(answer: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(error["code"], error["field"]) for error in answer["errors"]]


async def test_a_retry_after_moving_region_is_checked_against_the_new_scope(
    client_for: Client, settings: Settings
) -> None:
    user, token = await _moved_operator(settings)
    key = f"phone-{uuid.uuid4()}"
    data = unique_pdf(key)
    requested_file = f"%PDF-1.4 {key}".encode()
    request_input = {
        "region": region_id(HOME),
        "category": "DECREE",
        "fileName": "sk.pdf",
        "size": len(requested_file),
        "sha256": sha256_of(requested_file),
        "clientMutationId": key,
    }
    incident_input = {"input": incident(HOME, clientMutationId=key)}
    case_given = {"input": case_input(region=region_id(HOME), clientMutationId=key)}
    async with client_for(token) as client:
        first = {
            "incident": (await post(client, INCIDENT, incident_input))["data"]["incidentCreate"],
            "case": (await post(client, CASE_CREATE, case_given))["data"]["caseCreate"],
            "request": (await post(client, REQUEST, {"input": request_input}))["data"][
                "documentUploadRequest"
            ],
            "upload": payload(await upload(client, region=HOME, data=data, client_mutation_id=key)),
        }
        assert {name: answer["errors"] for name, answer in first.items()} == {name: [] for name in first}
        posted = await post_file(first["request"]["uploadForm"], requested_file)
        assert posted.status_code == 204
        confirmed = (await post(client, CONFIRM, {"id": first["request"]["upload"]["id"]}))["data"]
        assert confirmed["documentUploadConfirm"]["errors"] == []

        await change_role(str(user.id), Role.OPERATOR, ELSEWHERE)
        again = {
            "incident": (await post(client, INCIDENT, incident_input))["data"]["incidentCreate"],
            "case": (await post(client, CASE_CREATE, case_given))["data"]["caseCreate"],
            "request": (await post(client, REQUEST, {"input": request_input}))["data"][
                "documentUploadRequest"
            ],
            "upload": payload(await upload(client, region=HOME, data=data, client_mutation_id=key)),
            "confirm": (await post(client, CONFIRM, {"id": first["request"]["upload"]["id"]}))["data"][
                "documentUploadConfirm"
            ],
        }
    assert _codes(again["incident"]) == [("REPORT_NOT_FOUND", "clientMutationId")]
    assert _codes(again["case"]) == [("CASE_NOT_FOUND", "clientMutationId")]
    assert _codes(again["request"]) == [("UPLOAD_NOT_FOUND", "clientMutationId")]
    assert _codes(again["upload"]) == [("DOCUMENT_NOT_FOUND", "clientMutationId")]
    assert _codes(again["confirm"]) == [("UPLOAD_NOT_FOUND", "id")]
    # Nothing of the old records, and no link to their files, went out.
    assert again["incident"]["report"] is None and again["case"]["case"] is None
    assert (again["request"]["upload"], again["request"]["uploadForm"]) == (None, None)
    assert again["upload"]["document"] is None and again["confirm"]["document"] is None


# ---- malformed ids and misplaced uploads -------------------------------------------------------------------


NODE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
BAD_IDS = [
    global_id("Nope", "1"),  # no such type
    global_id("ReportPayload", "1"),  # a type, not a Node
    "!!!",  # not a global id
]


async def test_an_id_of_no_node_type_is_a_typed_error(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    for bad in BAD_IDS:
        body = await post_as(client_for, accounts["admin"].token, NODE, {"id": bad})
        assert body["data"] == {"node": None}
        assert [(error["extensions"]["code"], error["path"]) for error in body["errors"]] == [
            ("INVALID_ID", ["node"])
        ]


async def test_each_bad_id_in_nodes_is_null_at_its_own_position(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    good = region_id("31")
    missing = global_id("Report", PydanticObjectId())
    body = await post_as(client_for, accounts["admin"].token, NODES, {"ids": [good, *BAD_IDS, missing, good]})
    assert body["data"]["nodes"] == [{"id": good}, None, None, None, None, {"id": good}]
    assert [(error["extensions"]["code"], error["path"]) for error in body["errors"]] == [
        ("INVALID_ID", ["nodes", position]) for position in (1, 2, 3)
    ]


async def test_an_upload_given_a_json_value_is_file_required(
    client_for: Client, accounts: dict[str, Account], seeded: Clients
) -> None:
    document = await make_document(seeded, "31.74")
    version_add = """mutation($id: ID!, $input: DocumentVersionAddInput!) {
      documentVersionAdd(id: $id, input: $input) { document { id } errors { field code } } }"""
    before = await _documents(seeded)
    for value in ("a file", {"name": "sk.pdf"}):
        given = {"region": region_id("31.74"), "category": "DECREE", "file": value, "clientMutationId": "x"}
        body = await post_as(client_for, accounts["operator-31.74"].token, UPLOAD_MUTATION, {"input": given})
        answer = body["data"]["documentUpload"]
        assert (answer["document"], _codes(answer)) == (None, [("FILE_REQUIRED", "file")])
        body = await post_as(
            client_for,
            accounts["operator-31.74"].token,
            version_add,
            {"id": document, "input": {"file": value}},
        )
        answer = body["data"]["documentVersionAdd"]
        assert (answer["document"], _codes(answer)) == (None, [("FILE_REQUIRED", "file")])
    assert await _documents(seeded) == before


async def _documents(clients: Clients) -> int:
    return await StoredDocument.find_all().count()
