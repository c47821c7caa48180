"""Share links: a named recipient opens one document without an account until the link expires or is
revoked; every opening is logged for the sharer; every link that opens nothing answers the same 404."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from beanie import PydanticObjectId
from starlette.applications import Starlette

from hub.app import create_app
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.shares import DocumentShare
from hub.settings import Settings
from tests.conftest import Account
from tests.graphql import Client, app_clients, error_code, gql_field_as, payload, post_as, raw_id, upload
from tests.mongo_commands import COMMANDS

CREATE = """mutation($id: ID!, $input: DocumentShareCreateInput!) {
  documentShareCreate(id: $id, input: $input) {
    link share { id recipientName recipientEmail active accessCount sharedBy { username } }
    errors { field code } } }"""
REVOKE = """mutation($id: ID!) { documentShareRevoke(id: $id) {
  share { id active revokedAt revokedByUser { username } } errors { field code } } }"""
SHARES = """query($id: ID!) { node(id: $id) { ... on Document {
  shares { id recipientName active accessCount accesses { at address } } } } }"""
SHARE_LIMIT = 4


async def _document(client_for: Client, token: str, region: str = "31.74") -> tuple[str, bytes]:
    data = f"Berita acara rapat {uuid.uuid4()}".encode()
    async with client_for(token) as http:
        result = payload(await upload(http, region=region, data=data, name="berita-acara.txt"))
    assert result["errors"] == []
    return result["document"]["id"], data


def _input() -> dict[str, Any]:
    expires = (utcnow() + timedelta(days=2)).isoformat()
    return {
        "recipientName": "Ibu Sari (Bawaslu)",
        "recipientEmail": "sari@bawaslu.go.id",
        "expiresAt": expires,
    }


async def _share(client_for: Client, token: str, document: str, **given: Any) -> dict[str, Any]:
    result: dict[str, Any] = await gql_field_as(
        client_for, token, CREATE, {"id": document, "input": {**_input(), **given}}
    )
    return result


async def _open(client_for: Client, link: str) -> tuple[int, dict[str, str], bytes]:
    async with client_for(None) as anonymous:
        response = await anonymous.get(link)
    return response.status_code, dict(response.headers), response.content


async def test_recipient_opens_the_document_and_the_sharer_sees_each_opening(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    document, data = await _document(client_for, operator)
    created = await _share(client_for, operator, document)
    assert created["errors"] == []
    share = created["share"]
    assert share["recipientName"] == "Ibu Sari (Bawaslu)"
    assert share["sharedBy"] == {"username": "operator-31.74"}
    assert (share["active"], share["accessCount"]) == (True, 0)
    link = created["link"]
    assert link.startswith("/share/ps_") and len(link) > 50

    for _ in range(2):
        status, headers, body = await _open(client_for, link)
        assert status == 200
        assert body == data
        assert 'filename="berita-acara.txt"' in headers["content-disposition"]
        assert headers["cache-control"] == "no-store"

    stored = await DocumentShare.get(raw_id(share["id"]))
    assert (
        stored is not None
        and stored.token_hash not in link
        and link.removeprefix("/share/") not in str(stored.model_dump())
    )
    listed = await gql_field_as(client_for, operator, SHARES, {"id": document})
    [seen] = listed["shares"]
    assert seen["accessCount"] == 2
    assert [access["address"].startswith("10.") for access in seen["accesses"]] == [True, True]
    admin = await gql_field_as(client_for, accounts["admin"].token, SHARES, {"id": document})
    assert [item["id"] for item in admin["shares"]] == [share["id"]]
    # Someone else who reads the document does not see the operator's link or its log.
    other = await gql_field_as(client_for, accounts["coordinator-31"].token, SHARES, {"id": document})
    assert other["shares"] == []


async def test_links_that_open_nothing_answer_alike(client_for: Client, accounts: dict[str, Account]) -> None:
    operator = accounts["operator-31.74"].token
    document, _ = await _document(client_for, operator)
    links = {name: (await _share(client_for, operator, document))["link"] for name in ("revoked", "expired")}
    kept = (await _share(client_for, operator, document))["link"]
    token = kept.removeprefix("/share/")
    tampered = "/share/" + token[:-1] + ("A" if token[-1] != "A" else "B")

    shares = await gql_field_as(client_for, operator, SHARES, {"id": document})
    assert len(shares["shares"]) == 3  # oldest first: the revoked, the expired, the kept one
    revoked_id = shares["shares"][0]["id"]
    answer = await gql_field_as(client_for, operator, REVOKE, {"id": revoked_id})
    assert answer["errors"] == [] and answer["share"]["active"] is False
    assert answer["share"]["revokedByUser"] == {"username": "operator-31.74"}
    await DocumentShare.get_pymongo_collection().update_one(
        {"_id": _oid(shares["shares"][1]["id"])},
        {"$set": {"expires_at": utcnow() - timedelta(seconds=1)}},
    )
    answers = [
        await _open(client_for, link)
        for link in (links["revoked"], links["expired"], tampered, "/share/ps_unknown", "/share/" + "x" * 46)
    ]
    assert [status for status, _, _ in answers] == [404] * 5
    assert len({body for _, _, body in answers}) == 1
    assert (await _open(client_for, kept))[0] == 200
    counts = await DocumentShare.find({"document_id": _oid(document)}).sort("created_at").to_list()
    assert [share.access_count for share in counts] == [0, 0, 1]  # refused openings are no accesses

    # The document in the trash: its links are dead too.
    deleted = await gql_field_as(
        client_for,
        operator,
        "mutation($id: ID!) { documentDelete(id: $id) { errors { code } } }",
        {"id": document},
    )
    assert deleted["errors"] == []
    assert await _open(client_for, kept) == answers[0]


def _oid(global_id: str) -> PydanticObjectId:
    return PydanticObjectId(raw_id(global_id))


async def test_refusals_change_nothing(client_for: Client, accounts: dict[str, Account]) -> None:
    document, _ = await _document(client_for, accounts["operator-31.74"].token)
    before = await DocumentShare.find({"document_id": _oid(document)}).count()
    outside = await _share(client_for, accounts["operator-11.01"].token, document)
    assert outside["errors"] == [{"field": "id", "code": "DOCUMENT_NOT_FOUND"}] and outside["link"] is None
    reviewer = accounts["reviewer"].token
    too_long = await _share(
        client_for, reviewer, document, expiresAt=(utcnow() + timedelta(days=31)).isoformat()
    )
    assert too_long["errors"] == [{"field": "expiresAt", "code": "INVALID_SHARE"}]
    past = await _share(client_for, reviewer, document, expiresAt=(utcnow() - timedelta(hours=1)).isoformat())
    assert past["errors"] == [{"field": "expiresAt", "code": "INVALID_SHARE"}]
    nameless = await _share(client_for, reviewer, document, recipientName="   ")
    assert nameless["errors"] == [{"field": "recipientName", "code": "INVALID_SHARE"}]
    bad_mail = await _share(client_for, reviewer, document, recipientEmail="sari-at-bawaslu")
    assert bad_mail["errors"] == [{"field": "recipientEmail", "code": "INVALID_SHARE"}]
    anonymous = await post_as(client_for, None, CREATE, {"id": document, "input": _input()})
    assert error_code(anonymous) == "UNAUTHENTICATED"
    assert await DocumentShare.find({"document_id": _oid(document)}).count() == before


async def test_revoking_needs_the_sharer_an_admin_or_a_changer(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    document, _ = await _document(client_for, accounts["operator-31.74"].token)
    share = (await _share(client_for, accounts["reviewer"].token, document))["share"]
    for who in ("operator-11.01", "leader-31"):
        refused = await gql_field_as(client_for, accounts[who].token, REVOKE, {"id": share["id"]})
        assert refused == {"share": None, "errors": [{"field": "id", "code": "SHARE_NOT_FOUND"}]}
    kept = await DocumentShare.get(raw_id(share["id"]))
    assert kept is not None and kept.revoked_at is None
    done = await gql_field_as(client_for, accounts["coordinator-31"].token, REVOKE, {"id": share["id"]})
    assert done["errors"] == [] and done["share"]["active"] is False
    again = await gql_field_as(client_for, accounts["admin"].token, REVOKE, {"id": share["id"]})
    assert again["share"]["revokedAt"] == done["share"]["revokedAt"]
    wrong_type = await gql_field_as(client_for, accounts["admin"].token, REVOKE, {"id": document})
    assert wrong_type["errors"] == [{"field": "id", "code": "SHARE_NOT_FOUND"}]


@pytest.fixture(scope="module")
async def share_limited_app(settings: Settings, seeded: Clients) -> AsyncIterator[Starlette]:
    tight = settings.model_copy(update={"share_link_requests_per_hour": SHARE_LIMIT})
    application = create_app(tight, shared_clients=seeded)
    async with application.router.lifespan_context(application):
        yield application


async def test_each_address_has_a_budget_of_link_requests(
    share_limited_app: Starlette, client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    document, _ = await _document(client_for, operator)
    link = (await _share(client_for, operator, document))["link"]
    limited = app_clients(share_limited_app)
    async with limited(None) as guesser:
        guesses = [await guesser.get(f"/share/ps_{uuid.uuid4().hex}{'a' * 11}") for _ in range(SHARE_LIMIT)]
        refused = await guesser.get(link)
    assert [answer.status_code for answer in guesses] == [404] * SHARE_LIMIT
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert int(refused.headers["Retry-After"]) > 0
    stored = await DocumentShare.find_one({"document_id": _oid(document)})
    assert stored is not None and stored.access_count == 0  # the refused request never reached the link
    async with app_clients(share_limited_app)(None) as recipient:  # another address: its own budget
        assert (await recipient.get(link)).status_code == 200


async def test_shares_of_a_page_of_documents_cost_one_query(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    """`Document.shares` under a list is read by a DataLoader: as many queries for 2 documents as for 6."""
    admin = accounts["admin"].token  # in a regency no other test writes to, so the page holds these
    mine = set()
    for _ in range(6):
        document, _ = await _document(client_for, admin, "19.01")
        assert (await _share(client_for, admin, document))["errors"] == []
        mine.add(document)
    listing = """query($first: Int!) { documents(first: $first, filter: {region: "19.01"}) {
      nodes { id shares { recipientName } } } }"""
    counts = []
    for first in (2, 6):
        COMMANDS.reset()
        found = await gql_field_as(client_for, admin, listing, {"first": first})
        counts.append(COMMANDS.counts["find"])
        assert len(found["nodes"]) == first
        assert all(node["shares"] for node in found["nodes"] if node["id"] in mine)
    assert counts[0] == counts[1]
