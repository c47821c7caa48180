"""The GraphQL-over-HTTP helpers of every test: requests (as the `http` client or as a token's holder through
the `client_for` fixture), Relay global ids, and the multipart upload request.

`post*` return the whole body (data and errors) of a request the server answered with 200; `gql*` return its
`data` and fail on any top-level GraphQL error; `gql_field*` return one field of the data (the first one
unless named), such as a mutation's payload.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import secrets
from collections.abc import Callable
from typing import Any

import httpx
from starlette.applications import Starlette

Client = Callable[[str | None], httpx.AsyncClient]
"""The `client_for` fixture: an HTTP client for the app, carrying a bearer token (or none)."""

PREFLIGHT = {"GraphQL-Preflight": "1"}
ENGLISH = {"Accept-Language": "en"}
"""What the shared clients send: the hub answers Indonesian by default, and the tests read English messages
(tests/test_i18n.py checks the Indonesian ones)."""

UPLOAD_MUTATION = """
mutation Upload($input: DocumentUploadInput!) {
  documentUpload(input: $input) {
    created
    clientMutationId
    document { id fileName contentType size sha256 state region { code } }
    errors { field message code }
  }
}
"""


async def post(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The whole response body: data and errors."""
    response = await http.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def gql(http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The data of a request that must succeed."""
    return _data(await post(http, query, variables))


async def gql_field(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, field: str | None = None
) -> Any:
    """One field of the data of a request that must succeed: `field`, or the first one."""
    return _field(await gql(http, query, variables), field)


async def post_as(
    client_for: Client, token: str | None, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`post` by the holder of `token` (None: anonymous)."""
    async with client_for(token) as client:
        return await post(client, query, variables)


async def gql_as(
    client_for: Client, token: str | None, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`gql` by the holder of `token` (None: anonymous)."""
    return _data(await post_as(client_for, token, query, variables))


async def gql_field_as(
    client_for: Client,
    token: str | None,
    query: str,
    variables: dict[str, Any] | None = None,
    field: str | None = None,
) -> Any:
    """`gql_field` by the holder of `token` (None: anonymous)."""
    return _field(await gql_as(client_for, token, query, variables), field)


def error_code(body: dict[str, Any]) -> str | None:
    """The code of the first top-level GraphQL error, or None when there is none."""
    errors = body.get("errors") or []
    code: str | None = errors[0].get("extensions", {}).get("code") if errors else None
    return code


def app_clients(app: Starlette) -> Client:
    """HTTP clients for an app, each carrying a bearer token (or none): what the `client_for` fixture is for
    the session's app; close each with `async with`.

    The clients of one call share a client address of their own (the `client_for` fixture: one per test). The
    hub throttles failed logins and anonymous requests per address for an hour, so with one address for the
    whole session every test that tries a wrong password would count against the tests after it."""
    address = str(ipaddress.IPv4Address(0x0A000000 + secrets.randbelow(1 << 24)))  # somewhere in 10/8

    def make(token: str | None) -> httpx.AsyncClient:
        headers = {**ENGLISH, "Authorization": f"Bearer {token}"} if token else dict(ENGLISH)
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(address, 50000)),
            base_url="http://pantau.test",
            headers=headers,
        )

    return make


def _data(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def _field(data: dict[str, Any], field: str | None) -> Any:
    return data[field] if field is not None else next(iter(data.values()))


def global_id(type_name: str, value: object) -> str:
    """The Relay global id of a `type_name` object whose own id is `value`."""
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def raw_id(global_id: str) -> str:
    """The object's own id inside a Relay global id."""
    return base64.b64decode(global_id).decode().partition(":")[2]


def region_id(code: str) -> str:
    return global_id("Region", code)


async def upload(
    http: httpx.AsyncClient,
    *,
    region: str,
    data: bytes | None,
    region_global_id: str | None = None,
    name: str = "file.pdf",
    category: str = "DECREE",
    client_mutation_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    variables: dict[str, Any] = {
        "input": {"region": region_global_id or region_id(region), "category": category, "file": None}
    }
    if client_mutation_id:
        variables["input"]["clientMutationId"] = client_mutation_id
    operations = json.dumps({"query": UPLOAD_MUTATION, "variables": variables})
    files = {"0": (name, data, "application/octet-stream")} if data is not None else None
    return await http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.input.file"]})},
        files=files or {"unused": ("", b"", "text/plain")},
        headers=PREFLIGHT if headers is None else headers,
    )


def payload(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    result: dict[str, Any] = _data(response.json())["documentUpload"]
    return result
