"""The documents connection (filters, scope, keyset pages) and download links issued after the scope check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from hub.access.grants import create_grant
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import StoredDocument
from tests.conftest import Account
from tests.documents_helpers import LIST, NODE, unique_pdf, unique_text
from tests.graphql import global_id, gql, gql_as, gql_field, payload, post_as, raw_id, upload
from tests.mongo_commands import COMMANDS
from tests.reports_helpers import content, create_report

REGION = "52.01"  # used by no other test file: its counts are this file's own


@pytest.fixture(scope="module")
async def uploaded(app: Starlette, accounts: dict[str, Account]) -> list[dict[str, Any]]:
    made = []
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {accounts['admin'].token}"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://pantau.test", headers=headers
    ) as admin:
        for index, category in enumerate(["PHOTO", "PHOTO", "MINUTES", "PHOTO", "DECREE"]):
            data = unique_pdf() if index % 2 else unique_text()
            result = payload(
                await upload(admin, region=REGION, data=data, name=f"d{index}.pdf", category=category)
            )
            assert result["errors"] == []
            made.append(result["document"])
    return made


async def _all_pages(http: httpx.AsyncClient, filter_: dict[str, Any], first: int) -> tuple[list[str], int]:
    ids: list[str] = []
    after = None
    while True:
        page = await gql_field(http, LIST, {"filter": filter_, "first": first, "after": after})
        ids += [node["id"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids, page["totalCount"]
        after = page["pageInfo"]["endCursor"]


async def test_pages_cover_every_document_once_newest_first(
    http: httpx.AsyncClient, uploaded: list[dict[str, Any]]
) -> None:
    ids, total = await _all_pages(http, {"region": REGION}, first=2)
    assert total == len(uploaded) == 5
    assert ids == [document["id"] for document in reversed(uploaded)]


async def test_filters_narrow_the_list(http: httpx.AsyncClient, uploaded: list[dict[str, Any]]) -> None:
    photos, total = await _all_pages(http, {"region": REGION, "categories": ["PHOTO"]}, first=10)
    assert total == 3
    assert set(photos) == {uploaded[index]["id"] for index in (0, 1, 3)}
    stored, _ = await _all_pages(http, {"region": REGION, "states": ["STORED"]}, first=10)
    assert set(stored) <= {document["id"] for document in uploaded}
    none, total = await _all_pages(http, {"region": REGION, "states": ["REJECTED"]}, first=10)
    assert (none, total) == ([], 0)


async def test_list_is_scoped(
    client_for: Callable[[str | None], httpx.AsyncClient],
    accounts: dict[str, Account],
    uploaded: list[dict[str, Any]],
) -> None:
    async with client_for(accounts["operator-31.74"].token) as jakarta:
        ids, total = await _all_pages(jakarta, {"region": REGION}, first=10)
    assert (ids, total) == ([], 0)
    async with client_for(accounts["operator-11.01"].token) as aceh:
        everything, _ = await _all_pages(aceh, {}, first=100)
    assert not set(everything) & {document["id"] for document in uploaded}


async def test_report_filter_lists_its_evidence(
    http: httpx.AsyncClient,
    client_for: Callable[[str | None], httpx.AsyncClient],
    accounts: dict[str, Account],
) -> None:
    region, operator = "31.74", accounts["operator-31.74"].token
    async with client_for(operator) as client:
        evidence = payload(await upload(client, region=region, data=unique_pdf("NPHD"), name="nphd.pdf"))
        payload(await upload(client, region=region, data=unique_pdf("lain"), name="lain.pdf"))
    # A period no other test uses: one quarterly report per region and period.
    report = await create_report(
        client_for,
        operator,
        region,
        2000,
        3,
        content({"nphd_signed": True}, evidence={"nphd_signed": [evidence["document"]["id"]]}),
    )
    ids, total = await _all_pages(http, {"report": report["id"]}, first=10)
    assert (ids, total) == ([evidence["document"]["id"]], 1)
    wrong = await http.post(
        "/graphql", json={"query": LIST, "variables": {"filter": {"report": evidence["document"]["id"]}}}
    )
    assert "must be the id of a Report" in wrong.json()["errors"][0]["message"]


async def test_download_link_returns_the_bytes_under_the_display_name(http: httpx.AsyncClient) -> None:
    data = unique_pdf("Berita Acara")
    name = "Berita Acara; Lombok \u2013 2026.pdf"
    document = payload(await upload(http, region=REGION, data=data, name=name))["document"]
    assert document["fileName"] == name
    node = (await gql(http, NODE, {"id": document["id"]}))["node"]
    async with httpx.AsyncClient() as storage:
        response = await storage.get(node["downloadUrl"])
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="Berita Acara_ Lombok _ 2026.pdf"; '
        "filename*=UTF-8''Berita%20Acara%3B%20Lombok%20%E2%80%93%202026.pdf"
    )


async def test_no_link_for_a_viewer_outside_the_scope(
    http: httpx.AsyncClient,
    client_for: Callable[[str | None], httpx.AsyncClient],
    accounts: dict[str, Account],
    uploaded: list[dict[str, Any]],
) -> None:
    async with client_for(accounts["operator-31.74"].token) as outside:
        node = (await gql(outside, NODE, {"id": uploaded[0]["id"]}))["node"]
    assert node is None

    query = "query($id: ID!) { node(id: $id) { ... on Document { fileName downloadUrl } } }"
    expires = utcnow() + timedelta(days=1)
    without = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["52"],
        fields=["Document.fileName"],
        expires_at=expires,
    )
    with_link = await create_grant(
        actor="user:admin",
        agency="Bawaslu",
        region_roots=["52"],
        fields=["Document.fileName", "Document.downloadUrl"],
        expires_at=expires,
    )
    refused = await post_as(client_for, without.token, query, {"id": uploaded[0]["id"]})
    assert refused["errors"][0]["extensions"]["code"] == "FIELD_NOT_GRANTED"
    granted = await gql_as(client_for, with_link.token, query, {"id": uploaded[0]["id"]})
    async with httpx.AsyncClient() as storage:
        assert (await storage.get(granted["node"]["downloadUrl"])).status_code == 200


async def test_documents_in_the_trash_are_left_out_of_case_evidence_and_nodes(
    http: httpx.AsyncClient, clients: Clients
) -> None:
    document = payload(await upload(http, region=REGION, data=unique_pdf(), name="x.pdf"))["document"]
    stored = await StoredDocument.get(raw_id(document["id"]))
    assert stored is not None
    await StoredDocument.get_pymongo_collection().update_one(
        {"_id": stored.id}, {"$set": {"deleted_at": utcnow()}}
    )
    nodes = await gql(http, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [document["id"]]})
    assert nodes["nodes"] == [None]
    assert global_id("Document", raw_id(document["id"])) == document["id"]


async def test_listing_costs_the_same_queries_for_any_page_size(
    http: httpx.AsyncClient, uploaded: list[dict[str, Any]]
) -> None:
    query = """query($first: Int!) { documents(filter: {region: "52.01"}, first: $first) {
      totalCount nodes { id fileName downloadUrl region { code name } } } }"""
    counts = []
    for first in (1, 5):
        COMMANDS.reset()
        page = await gql(http, query, {"first": first})
        assert len(page["documents"]["nodes"]) == first
        counts.append(COMMANDS.total)
    assert counts[0] == counts[1], counts
