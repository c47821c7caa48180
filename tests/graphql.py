"""Small GraphQL-over-HTTP helpers for tests, including the multipart upload request."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

PREFLIGHT = {"GraphQL-Preflight": "1"}

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


async def gql(http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def region_id(code: str) -> str:
    return base64.b64encode(f"Region:{code}".encode()).decode()


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
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]["documentUpload"]
    return result
