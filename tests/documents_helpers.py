"""Helpers for the document tests: GraphQL calls for presigned uploads (and their POST to object storage),
versions and the trash, unique files,
and a snapshot of everything uploads leave in MongoDB and MinIO."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from hub.clients import Clients
from tests.files import pdf_with_text
from tests.graphql import PREFLIGHT, gql_field, region_id

DOCUMENT_FIELDS = """id fileName contentType size sha256 state version category deletedAt purgeAfter
  region { code } previousVersions { version fileName sha256 size downloadUrl }"""

REQUEST = f"""mutation($input: DocumentUploadRequestInput!) {{ documentUploadRequest(input: $input) {{
  uploadForm {{ url fields {{ name value }} expiresAt }} expiresAt clientMutationId
  upload {{ id fileName size sha256 status urlExpiresAt expiresAt region {{ code }} }}
  document {{ {DOCUMENT_FIELDS} }}
  errors {{ field message code }} }} }}"""
CONFIRM = f"""mutation($id: ID!) {{ documentUploadConfirm(id: $id) {{
  created document {{ {DOCUMENT_FIELDS} }} errors {{ field message code }} }} }}"""
VERSION_ADD = f"""mutation($id: ID!, $input: DocumentVersionAddInput!) {{
  documentVersionAdd(id: $id, input: $input) {{
  created document {{ {DOCUMENT_FIELDS} }} errors {{ field message code }} }} }}"""
DELETE = f"""mutation($id: ID!) {{ documentDelete(id: $id) {{
  document {{ {DOCUMENT_FIELDS} downloadUrl }} errors {{ field message code }} }} }}"""
RESTORE = f"""mutation($id: ID!) {{ documentRestore(id: $id) {{
  document {{ {DOCUMENT_FIELDS} downloadUrl }} errors {{ field message code }} }} }}"""
NODE = f"query($id: ID!) {{ node(id: $id) {{ ... on Document {{ {DOCUMENT_FIELDS} downloadUrl }} }} }}"
LIST = """query($filter: DocumentFilter, $first: Int, $after: String) {
  documents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id fileName category state region { code } } } }"""


def unique_pdf(label: str = "Dokumen") -> bytes:
    return pdf_with_text(f"{label} {uuid.uuid4()}")


def unique_text(label: str = "Notulen") -> bytes:
    return f"{label} rapat Tim Pemantauan {uuid.uuid4()}\n".encode()


def docx_bytes(text: str) -> bytes:
    """A minimal DOCX: recognised by its zip members, not its name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", f"<document><body><p>{text}</p></body></document>")
    return buffer.getvalue()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def request_upload(
    http: httpx.AsyncClient,
    data: bytes,
    *,
    region: str = "31.74",
    name: str = "berkas.pdf",
    category: str = "DECREE",
    size: int | None = None,
    sha256: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    given = {
        "region": region_id(region),
        "category": category,
        "fileName": name,
        "size": len(data) if size is None else size,
        "sha256": sha256 or sha256_of(data),
        **extra,
    }
    result: dict[str, Any] = await gql_field(http, REQUEST, {"input": given})
    return result


async def post_file(form: dict[str, Any], data: bytes) -> httpx.Response:
    """The client's POST with the upload form, straight to object storage (not through the hub): the form's
    fields in order, then the file. Object storage answers 204 when it took the file."""
    fields = {field["name"]: field["value"] for field in form["fields"]}
    async with httpx.AsyncClient(timeout=60) as storage:
        return await storage.post(form["url"], data=fields, files={"file": ("berkas", data)})


async def confirm(http: httpx.AsyncClient, upload_id: str) -> dict[str, Any]:
    result: dict[str, Any] = await gql_field(http, CONFIRM, {"id": upload_id})
    return result


async def presigned_upload(http: httpx.AsyncClient, data: bytes, **given: Any) -> dict[str, Any]:
    """Request, PUT and confirm; the confirm payload."""
    requested = await request_upload(http, data, **given)
    assert requested["errors"] == [], requested["errors"]
    response = await post_file(requested["uploadForm"], data)
    assert response.status_code == 204, response.text
    return await confirm(http, requested["upload"]["id"])


async def add_version(
    http: httpx.AsyncClient,
    document_id: str,
    data: bytes,
    name: str = "versi.pdf",
    category: str | None = None,
) -> dict[str, Any]:
    given: dict[str, Any] = {"file": None}
    if category:
        given["category"] = category
    operations = json.dumps({"query": VERSION_ADD, "variables": {"id": document_id, "input": given}})
    response = await http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": (name, data, "application/octet-stream")},
        headers=PREFLIGHT,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["documentVersionAdd"]
    return result


async def snapshot(clients: Clients) -> tuple[int, int, list[str]]:
    database = clients.mongo[clients.settings.mongo_database]
    documents = await database["documents"].count_documents({})
    uploads = await database["document_uploads"].count_documents({})
    keys = await asyncio.to_thread(clients.store.keys_sync)
    return documents, uploads, sorted(keys)


@asynccontextmanager
async def leaves_nothing(clients: Clients) -> AsyncIterator[None]:
    before = await snapshot(clients)
    yield
    assert await snapshot(clients) == before, "a refused upload left something behind"


def codes(result: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(error["code"], error["field"]) for error in result["errors"]]
