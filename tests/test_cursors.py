"""Cursors are sealed: they reveal nothing of the row they point after, every listing refuses another's with
a client error, and they are made only when a client selects them."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

import httpx
import pytest

from hub.core import paging
from tests.conftest import Account
from tests.graphql import Client, gql, raw_id
from tests.reports_helpers import create_report
from tests.test_reports import fresh_period

OTHER_LISTINGS = [
    "cases(after: $a) { totalCount }",
    "documents(after: $a) { totalCount }",
    "reports(after: $a) { totalCount }",
    "reports(after: $a, orderBy: DUE_SOONEST) { totalCount }",
    "incidents(after: $a) { totalCount }",
    "elections(after: $a) { totalCount }",
    "users(after: $a) { totalCount }",
    "notifications(after: $a) { totalCount }",
    "savedSearches(after: $a) { totalCount }",
    "webhookDeliveries(after: $a) { totalCount }",
    'search(query: "pilkada", after: $a) { totalCount }',
]


async def _refusal(http: httpx.AsyncClient, field: str, cursor: str) -> dict[str, Any]:
    response = await http.post(
        "/graphql", json={"query": f"query($a: String) {{ {field} }}", "variables": {"a": cursor}}
    )
    body: dict[str, Any] = response.json()
    assert body.get("data") is None, body
    (error,) = body["errors"]
    return error


@pytest.mark.parametrize("field", OTHER_LISTINGS)
async def test_a_cursor_of_one_listing_is_refused_by_another(http: httpx.AsyncClient, field: str) -> None:
    page = await gql(http, '{ regions(parent: "ID", first: 1) { pageInfo { endCursor } } }')
    cursor = page["regions"]["pageInfo"]["endCursor"]
    error = await _refusal(http, field, cursor)
    assert "is not valid here" in error["message"]
    assert (error.get("extensions") or {}).get("code") != "INTERNAL_ERROR"
    # The same cursor opens where it was made.
    following = await gql(
        http,
        'query($a: String) { regions(parent: "ID", first: 1, after: $a) { nodes { code } } }',
        {"a": cursor},
    )
    assert following["regions"]["nodes"] == [{"code": "12"}]


async def test_a_cursor_reveals_no_sort_value(client_for: Client, accounts: dict[str, Account]) -> None:
    year, quarter = fresh_period()
    report = await create_report(client_for, accounts["operator-31.74"].token, "31.74", year, quarter)
    async with client_for(accounts["admin"].token) as http:
        data = await gql(
            http,
            """query($p: String) { reports(filter: {region: "31.74", periodFrom: $p, periodTo: $p}) {
                 edges { cursor node { id createdAt } } } }""",
            {"p": f"{year}-Q{quarter}"},
        )
    (edge,) = data["reports"]["edges"]
    assert edge["node"]["id"] == report["id"]
    sealed = base64.urlsafe_b64decode(edge["cursor"] + "=" * (-len(edge["cursor"]) % 4))
    created = datetime.fromisoformat(edge["node"]["createdAt"])
    for revealing in (created.date().isoformat(), created.strftime("%H:%M:%S"), raw_id(report["id"])):
        assert revealing.encode() not in sealed


@pytest.mark.parametrize(
    ("selection", "sealed"),
    [
        ("nodes { code }", 0),
        ("totalCount pageInfo { hasNextPage }", 0),
        ("pageInfo { endCursor }", 1),
        ("pageInfo { startCursor endCursor }", 2),
        ("edges { cursor node { code } }", 38),
        ("edges { cursor } pageInfo { startCursor endCursor }", 38),
    ],
)
async def test_cursors_are_made_only_when_selected(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, selection: str, sealed: int
) -> None:
    made: list[str] = []
    encode = paging.encode_cursor

    def counted(kind: str, values: list[Any]) -> str:
        made.append(kind)
        return encode(kind, values)

    monkeypatch.setattr(paging, "encode_cursor", counted)
    await gql(http, f'{{ regions(parent: "ID", first: 38) {{ {selection} }} }}')
    assert len(made) == sealed
