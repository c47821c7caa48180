"""The authorization matrix: every role, partner grants (valid, expired, revoked) and no token, against every
query, mutation and node lookup, on regions inside and outside their scope. Each outcome is data, an empty
result, or a typed permission error — never another region's data."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

from hub.access.grants import create_grant, revoke_grant
from hub.access.models import PartnerGrant
from hub.access.principal import system_principal
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory
from hub.documents.upload import IncomingFile, upload_document
from tests.conftest import Account
from tests.graphql import error_code, global_id, post_as, region_id, upload
from workers.ingest import ingest_document

MARKER = f"matriks{uuid.uuid4().hex[:8]}"
# `Document.text`: the search test's marker is in the documents' text, which a grant must read to search it.
GRANTED_FIELDS = ["Document.fileName", "Document.category", "Document.region", "Document.text"]


@dataclass(frozen=True)
class World:
    tokens: dict[str, str | None]
    inside: str  # global id of a document in 31.74 (under province 31)
    outside: str  # global id of a document in 11.01 (Aceh)
    grant_id: str


async def _document(clients: Clients, region: str) -> str:
    data = f"Laporan {MARKER} kabupaten {region} {uuid.uuid4()}".encode()
    result = await upload_document(
        store=clients.store,
        dispatcher=_NoDispatch(),
        max_bytes=clients.settings.max_upload_bytes,
        region_code=region,
        category=DocumentCategory.MINUTES,
        file=IncomingFile(name=f"{region}.txt", stream=io.BytesIO(data), size=len(data)),
        principal=system_principal("tests"),
    )
    await ingest_document(clients, str(result.document.id))
    return global_id("Document", str(result.document.id))


class _NoDispatch:
    def ingest_document(self, document_id: str) -> None:
        return None

    def index_document(self, document_id: str) -> None:
        return None


@pytest.fixture(scope="module")
async def world(clients: Clients, accounts: dict[str, Account]) -> World:
    inside = await _document(clients, "31.74")
    outside = await _document(clients, "11.01")
    await clients.es.indices.refresh(index=f"{clients.settings.es_index_prefix}-documents")
    expires = utcnow() + timedelta(days=30)
    partner = await create_grant(
        actor="user:admin", agency="KPU", region_roots=["31"], fields=GRANTED_FIELDS, expires_at=expires
    )
    expired = await create_grant(
        actor="user:admin", agency="Bawaslu", region_roots=["31"], fields=GRANTED_FIELDS, expires_at=expires
    )
    await PartnerGrant.get_pymongo_collection().update_one(
        {"_id": expired.grant.id}, {"$set": {"expires_at": utcnow() - timedelta(minutes=1)}}
    )
    revoked = await create_grant(
        actor="user:admin", agency="DKPP", region_roots=["31"], fields=GRANTED_FIELDS, expires_at=expires
    )
    await revoke_grant(str(revoked.grant.id))
    tokens: dict[str, str | None] = {name: account.token for name, account in accounts.items()}
    tokens |= {
        "partner-31": partner.token,
        "partner-expired": expired.token,
        "partner-revoked": revoked.token,
        "no-token": None,
        "garbage-token": "not-a-token",
    }
    return World(tokens=tokens, inside=inside, outside=outside, grant_id=str(partner.grant.id))


ROLES = ["admin", "reviewer", "leader-31", "coordinator-31", "operator-31.74", "operator-11.01"]
PARTNER = ["partner-31"]
REFUSED_AUTH = {
    "partner-expired": "TOKEN_EXPIRED",
    "partner-revoked": "INVALID_TOKEN",
    "no-token": "UNAUTHENTICATED",
    "garbage-token": "INVALID_TOKEN",
}
SEES_INSIDE = {"admin", "reviewer", "leader-31", "coordinator-31", "operator-31.74", "partner-31"}
SEES_OUTSIDE = {"admin", "reviewer", "operator-11.01"}
ALL_PRINCIPALS = ROLES + PARTNER + list(REFUSED_AUTH)


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_reference_queries(
    who: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    query = '{ regions(first: 1) { totalCount } region(code: "31") { code } viewer { name } }'
    body = await post_as(client_for, world.tokens[who], query)
    if who in REFUSED_AUTH:
        assert body["data"] is None
        assert error_code(body) == REFUSED_AUTH[who]
    else:
        assert "errors" not in body, body
        assert body["data"]["regions"]["totalCount"] == 553
        assert body["data"]["region"] == {"code": "31"}


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_node_lookups_respect_scope(
    who: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    query = """query($inside: ID!, $outside: ID!, $both: [ID!]!) {
      inside: node(id: $inside) { id ... on Document { fileName } }
      outside: node(id: $outside) { id ... on Document { fileName } }
      both: nodes(ids: $both) { id } }"""
    variables = {"inside": world.inside, "outside": world.outside, "both": [world.inside, world.outside]}
    body = await post_as(client_for, world.tokens[who], query, variables)
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        assert body["data"] is None
        return
    assert "errors" not in body, body
    data = body["data"]
    assert (data["inside"] is not None) == (who in SEES_INSIDE)
    assert (data["outside"] is not None) == (who in SEES_OUTSIDE)
    expected = [world.inside if who in SEES_INSIDE else None, world.outside if who in SEES_OUTSIDE else None]
    assert [node["id"] if node else None for node in data["both"]] == expected


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_search_never_returns_another_regions_hits(
    who: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    query = """query($q: String!) {
      search(query: $q, first: 50) { totalCount nodes { document { id fileName } } } }"""
    body = await post_as(client_for, world.tokens[who], query, {"q": MARKER})
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    assert "errors" not in body, body
    found = {node["document"]["id"] for node in body["data"]["search"]["nodes"]}
    expected = {world.inside} if who in SEES_INSIDE else set()
    expected |= {world.outside} if who in SEES_OUTSIDE else set()
    assert found == expected
    assert body["data"]["search"]["totalCount"] == len(expected)


async def test_partner_search_matches_only_text_the_grant_reads(
    world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    """The marker is in the documents' text only: a grant without `Document.text` in the same region finds
    nothing, not even a count."""
    blind = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=[name for name in GRANTED_FIELDS if name != "Document.text"],
        expires_at=utcnow() + timedelta(days=1),
    )
    query = "query($q: String!) { search(query: $q) { totalCount nodes { highlights } } }"
    body = await post_as(client_for, blind.token, query, {"q": MARKER})
    assert "errors" not in body, body
    assert body["data"]["search"] == {"totalCount": 0, "nodes": []}


UPLOAD_ALLOWED_INSIDE = {"admin", "reviewer", "coordinator-31", "operator-31.74"}


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_document_upload_needs_role_and_scope(
    who: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    data = f"Notulen {uuid.uuid4()}".encode()
    async with client_for(world.tokens[who]) as client:
        response = await upload(client, region="31.74", data=data, name="notulen.txt")
    body = response.json()
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    if who in PARTNER:
        assert error_code(body) == "PERMISSION_DENIED"
        return
    result = body["data"]["documentUpload"]
    if who in UPLOAD_ALLOWED_INSIDE:
        assert result["errors"] == []
        assert result["document"]["region"] == {"code": "31.74"}
    else:
        assert result["document"] is None
        assert [error["code"] for error in result["errors"]] == ["PERMISSION_DENIED"]


SHARE_CREATE = """mutation($id: ID!, $at: DateTime!) {
  documentShareCreate(id: $id, input: {recipientName: "Pak Budi", expiresAt: $at}) {
    link share { id } errors { code } } }"""


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
@pytest.mark.parametrize("where", ["inside", "outside"])
async def test_document_share_links_need_a_reader_who_is_no_partner(
    who: str, where: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    document = world.inside if where == "inside" else world.outside
    at = (utcnow() + timedelta(days=1)).isoformat()
    body = await post_as(client_for, world.tokens[who], SHARE_CREATE, {"id": document, "at": at})
    if who in REFUSED_AUTH or who in PARTNER:
        assert body["data"] is None
        assert error_code(body) in _refusals(who)
        return
    result = body["data"]["documentShareCreate"]
    if who in (SEES_INSIDE if where == "inside" else SEES_OUTSIDE):
        assert result["errors"] == [] and result["link"].startswith("/share/")
    else:
        assert result == {"link": None, "share": None, "errors": [{"code": "DOCUMENT_NOT_FOUND"}]}
    listed = await post_as(
        client_for,
        world.tokens[who],
        "query($id: ID!) { node(id: $id) { ... on Document { shares { id } } } }",
        {"id": document},
    )
    node = listed["data"]["node"]
    assert node is None or all(share["id"] for share in node["shares"])


async def test_partners_do_not_read_share_links(
    world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    query = "query($id: ID!) { node(id: $id) { ... on Document { fileName shares { id } } } }"
    body = await post_as(client_for, world.tokens["partner-31"], query, {"id": world.inside})
    assert body["data"] is None
    assert error_code(body) == "FIELD_NOT_GRANTED"


ADMIN_QUERIES = [
    "{ partnerGrants { nodes { agency } } }",
    "{ partnerReads { nodes { agency } } }",
    "{ auditVerification { state } }",
]


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
@pytest.mark.parametrize("query", ADMIN_QUERIES)
async def test_admin_queries(
    who: str, query: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    body = await post_as(client_for, world.tokens[who], query)
    if who == "admin":
        assert "errors" not in body, body
    else:
        assert body["data"] is None
        assert error_code(body) in _refusals(who)


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_the_audit_trail_is_for_admins_and_reviewers(
    who: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    query = "{ auditEntries(first: 100) { totalCount nodes { actionName regionCode } } }"
    body = await post_as(client_for, world.tokens[who], query)
    if who not in {"admin", "reviewer"}:
        assert body["data"] is None
        assert error_code(body) in _refusals(who)
        return
    assert "errors" not in body, body
    nodes = body["data"]["auditEntries"]["nodes"]
    assert nodes  # the world's uploads at least
    if who == "reviewer":  # entries of records with a region only: no grant's, no session's
        assert all(node["regionCode"] for node in nodes)


def _refusals(who: str) -> set[str]:
    """The typed errors a principal gets for something it may not do."""
    if who in REFUSED_AUTH:
        return {REFUSED_AUTH[who]}
    if who in PARTNER:  # refused before execution by the field whitelist, or by the permission
        return {"PERMISSION_DENIED", "FIELD_NOT_GRANTED"}
    return {"PERMISSION_DENIED"}


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_user_list_is_scoped(
    who: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    body = await post_as(
        client_for, world.tokens[who], "{ users(first: 100) { nodes { username region { code } } } }"
    )
    if who in REFUSED_AUTH or who in PARTNER:
        assert error_code(body) in _refusals(who)
        return
    assert "errors" not in body, body
    usernames = {node["username"] for node in body["data"]["users"]["nodes"]}
    if who in {"admin", "reviewer"}:
        assert {"operator-11.01", "operator-31.74", "coordinator-31"} <= usernames
    elif who in {"leader-31", "coordinator-31"}:
        assert {"leader-31", "coordinator-31", "operator-31.74"} <= usernames
        assert "operator-11.01" not in usernames
    else:  # an operator: the accounts of its own office (other tests add some there), nobody else's
        home = who.removeprefix("operator-")
        assert who in usernames
        assert {node["region"]["code"] for node in body["data"]["users"]["nodes"]} == {home}


ADMIN_MUTATIONS = {
    "userCreate": (
        """mutation($region: RegionCode!, $name: String!) {
          userCreate(input: {username: $name, password: "kata-sandi-panjang-1",
                              role: OPERATOR, region: $region}) {
            user { username } errors { code } } }""",
        lambda: {"region": region_id("31.74"), "name": f"op-{uuid.uuid4().hex[:8]}"},
    ),
    "partnerGrantCreate": (
        'mutation($at: DateTime!) { partnerGrantCreate(input: {agency: "KPU", regionCodes: ["31"],'
        ' fields: ["Document.fileName"], expiresAt: $at}) { token errors { code } } }',
        lambda: {"at": (utcnow() + timedelta(days=7)).isoformat()},
    ),
}


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
@pytest.mark.parametrize("mutation", sorted(ADMIN_MUTATIONS))
async def test_admin_mutations(
    who: str, mutation: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    query, variables = ADMIN_MUTATIONS[mutation]
    body = await post_as(client_for, world.tokens[who], query, variables())
    if who == "admin":
        assert "errors" not in body, body
        assert body["data"][mutation]["errors"] == []
    else:
        assert body["data"] is None
        assert error_code(body) in _refusals(who)


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_user_management_mutations_on_a_victim(
    who: str,
    world: World,
    client_for: Callable[[str | None], httpx.AsyncClient],
    accounts: dict[str, Account],
) -> None:
    from hub.access.users import create_user

    victim = await create_user(
        username=f"victim-{uuid.uuid4().hex[:8]}",
        password="kata-sandi-panjang-1",
        role=_operator(),
        region_code="11.01",
    )
    victim_id = global_id("User", str(victim.id))
    query = """mutation($id: ID!, $region: RegionCode!) {
      userRoleChange(id: $id, input: {role: LEADER, region: $region}) { user { role } errors { code } }
      userDeactivate(id: $id) { user { active } errors { code } } }"""
    body = await post_as(client_for, world.tokens[who], query, {"id": victim_id, "region": region_id("11")})
    refreshed = await type(victim).get(victim.id)
    assert refreshed is not None
    if who == "admin":
        assert "errors" not in body, body
        assert body["data"]["userRoleChange"]["user"] == {"role": "LEADER"}
        assert body["data"]["userDeactivate"]["user"] == {"active": False}
        assert (refreshed.role.value, refreshed.active) == ("leader", False)
    else:
        assert error_code(body) in _refusals(who)
        assert (refreshed.role.value, refreshed.active, refreshed.version) == ("operator", True, 1)


def _operator() -> Any:
    from hub.access.roles import Role

    return Role.OPERATOR


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_partner_grant_revoke_is_admin_only(
    who: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    grant = await create_grant(
        actor="user:admin",
        agency="Polri",
        region_roots=["11"],
        fields=GRANTED_FIELDS,
        expires_at=utcnow() + timedelta(days=1),
    )
    query = "mutation($id: ID!) { partnerGrantRevoke(id: $id) { grant { revokedAt } errors { code } } }"
    body = await post_as(
        client_for, world.tokens[who], query, {"id": global_id("PartnerGrant", str(grant.grant.id))}
    )
    stored = await PartnerGrant.get(grant.grant.id)
    assert stored is not None
    if who == "admin":
        assert body["data"]["partnerGrantRevoke"]["grant"]["revokedAt"] is not None
        assert stored.revoked_at is not None
    else:
        assert error_code(body) in _refusals(who)
        assert stored.revoked_at is None


GRANT_CHANGES = {
    "partnerGrantExtend": (
        "mutation($id: ID!, $at: DateTime!) { partnerGrantExtend(id: $id, expiresAt: $at)"
        " { errors { code } } }",
        lambda: {"at": (utcnow() + timedelta(days=20)).isoformat()},
    ),
    "partnerGrantNarrow": (
        'mutation($id: ID!) { partnerGrantNarrow(id: $id, input: {regionCodes: ["11.01"]})'
        " { errors { code } } }",
        dict,
    ),
    "partnerGrantWiden": (
        'mutation($id: ID!) { partnerGrantWiden(id: $id, input: {regionCodes: ["11", "31"]}, reason: "MoU")'
        " { errors { code } } }",
        dict,
    ),
    "partnerGrantTokenRotate": (
        "mutation($id: ID!) { partnerGrantTokenRotate(id: $id) { token errors { code } } }",
        dict,
    ),
}


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
@pytest.mark.parametrize("mutation", sorted(GRANT_CHANGES))
async def test_partner_grant_changes_are_admin_only(
    who: str, mutation: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    grant = await create_grant(
        actor="user:admin",
        agency="Polri",
        region_roots=["11"],
        fields=GRANTED_FIELDS,
        expires_at=utcnow() + timedelta(days=1),
    )
    query, variables = GRANT_CHANGES[mutation]

    async def limits() -> tuple[object, ...]:
        stored = await PartnerGrant.get(grant.grant.id)
        assert stored is not None
        return stored.token_hash, stored.region_roots, stored.expires_at

    before = await limits()
    given = {"id": global_id("PartnerGrant", str(grant.grant.id)), **variables()}
    body = await post_as(client_for, world.tokens[who], query, given)
    unchanged = await limits() == before
    if who == "admin":
        assert body["data"][mutation]["errors"] == [], body
        assert not unchanged
    else:
        assert error_code(body) in _refusals(who)
        assert unchanged


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_user_nodes_are_scoped(
    who: str,
    world: World,
    client_for: Callable[[str | None], httpx.AsyncClient],
    accounts: dict[str, Account],
) -> None:
    from hub.access.models import User

    aceh = await User.find_one({"username": "operator-11.01"})
    assert aceh is not None
    body = await post_as(
        client_for,
        world.tokens[who],
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": global_id("User", str(aceh.id))},
    )
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
        return
    visible = who in {"admin", "reviewer", "operator-11.01"}
    assert (body["data"]["node"] is not None) == visible


async def test_partner_reads_only_granted_fields_and_every_read_is_logged(
    world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    token = world.tokens["partner-31"]
    refused = await post_as(
        client_for,
        token,
        "query($id: ID!) { node(id: $id) { ... on Document { sha256 } } }",
        {"id": world.inside},
    )
    assert error_code(refused) == "FIELD_NOT_GRANTED"
    assert "Document.sha256" in refused["errors"][0]["message"]
    assert refused["data"] is None

    read = await post_as(
        client_for,
        token,
        "query Granted($id: ID!) { node(id: $id) { id ... on Document { fileName } } }",
        {"id": world.inside},
    )
    assert read["data"]["node"]["id"] == world.inside

    log = await post_as(
        client_for,
        world.tokens["admin"],
        "query($grant: ID!) { partnerReads(grant: $grant) { nodes { agency operationName objectIds } } }",
        {"grant": global_id("PartnerGrant", world.grant_id)},
    )
    entries = log["data"]["partnerReads"]["nodes"]
    granted = [entry for entry in entries if entry["operationName"] == "Granted"]
    assert granted
    assert granted[0]["agency"] == "KPU"
    assert world.inside in granted[0]["objectIds"]


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
async def test_partner_grant_nodes_are_for_admins_only(
    who: str, world: World, client_for: Callable[[str | None], httpx.AsyncClient]
) -> None:
    query = "query($id: ID!) { node(id: $id) { id ... on PartnerGrant { agency } } }"
    body = await post_as(
        client_for, world.tokens[who], query, {"id": global_id("PartnerGrant", world.grant_id)}
    )
    if who in REFUSED_AUTH:
        assert error_code(body) == REFUSED_AUTH[who]
    elif who == "admin":
        assert body["data"]["node"]["agency"] == "KPU"
    elif who in PARTNER:  # asking for a field no grant can give
        assert error_code(body) == "FIELD_NOT_GRANTED"
    else:
        assert "errors" not in body, body
        assert body["data"]["node"] is None
