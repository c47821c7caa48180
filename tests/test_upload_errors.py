"""Bad input on the upload path: a clear, specific error, and nothing left in MongoDB or MinIO."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from hub.clients import Clients
from tests.conftest import TEST_MAX_UPLOAD_BYTES
from tests.files import WINDOWS_EXECUTABLE, pdf_with_text
from tests.graphql import global_id, payload, upload


async def _snapshot(clients: Clients) -> tuple[int, list[str]]:
    count = await clients.mongo[clients.settings.mongo_database]["documents"].count_documents({})
    keys = await asyncio.to_thread(clients.store.keys_sync)
    return count, sorted(keys)


@pytest.fixture
async def unchanged(clients: Clients) -> AsyncIterator[None]:
    before = await _snapshot(clients)
    yield
    assert await _snapshot(clients) == before, "a refused upload left something behind"


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("region", "data", "name", "code", "field", "message"),
    [
        ("99.99", b"%PDF-1.4 x", "a.pdf", "REGION_NOT_FOUND", "region", "no region has the code '99.99'"),
        ("31.74", b"", "kosong.pdf", "EMPTY_FILE", "file", "empty"),
        ("31.74", WINDOWS_EXECUTABLE, "laporan.pdf", "UNSUPPORTED_TYPE", "file", "not an accepted type"),
        ("31.74", b"%PDF-1.4" + b"x" * TEST_MAX_UPLOAD_BYTES, "besar.pdf", "FILE_TOO_LARGE", "file", "limit"),
        ("31.74", b"%PDF-1.4 x", "../../etc/passwd", "INVALID_FILE_NAME", "file", "parent-directory"),
        ("31.74", b"%PDF-1.4 x", "laporan.pdf%00.exe", "INVALID_FILE_NAME", "file", "NUL"),
    ],
)
async def test_refused_upload_names_the_problem(
    http: httpx.AsyncClient, region: str, data: bytes, name: str, code: str, field: str, message: str
) -> None:
    result = payload(await upload(http, region=region, data=data, name=name))
    assert result["document"] is None
    assert result["created"] is False
    [error] = result["errors"]
    assert (error["code"], error["field"]) == (code, field)
    assert message in error["message"]


@pytest.mark.usefixtures("unchanged")
async def test_region_id_of_another_type_is_refused(http: httpx.AsyncClient) -> None:
    wrong = global_id("Document", "31.74")
    result = payload(await upload(http, region="31.74", region_global_id=wrong, data=pdf_with_text("x")))
    assert [(error["code"], error["field"]) for error in result["errors"]] == [("REGION_NOT_FOUND", "region")]


@pytest.mark.usefixtures("unchanged")
async def test_missing_file_part_is_refused(http: httpx.AsyncClient) -> None:
    response = await upload(http, region="31.74", data=None)
    assert response.status_code == 400
    assert "File(s) missing in form data" in response.text


@pytest.mark.usefixtures("unchanged")
async def test_body_over_the_cap_is_refused_before_parsing(http: httpx.AsyncClient) -> None:
    data = b"%PDF-1.4" + b"x" * (TEST_MAX_UPLOAD_BYTES + 2 * 1024 * 1024)
    response = await upload(http, region="31.74", data=data)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BODY_TOO_LARGE"


@pytest.mark.usefixtures("unchanged")
async def test_multipart_without_preflight_header_is_refused(http: httpx.AsyncClient) -> None:
    response = await upload(http, region="31.74", data=pdf_with_text("x"), headers={})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_HEADER_MISSING"
