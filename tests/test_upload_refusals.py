"""Refused multipart requests: the whole body is checked before a document is recorded, every refusal is a
typed JSON error, and a request that cannot upload is refused before its body is read (counted in bytes)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from hub.access.roles import Role
from hub.access.sessions import login
from hub.access.users import create_user
from hub.app import create_app
from hub.clients import Clients
from hub.settings import Settings
from tests.conftest import TEST_PASSWORD, TIGHT_RATE_LIMIT, Account
from tests.documents_helpers import LIST, unique_text
from tests.graphql import UPLOAD_MUTATION, Client, app_clients, gql, gql_field, payload, region_id, upload
from tests.multipart_helpers import BodyCounter, chunks, closing, part, post, stream
from workers.ingest import ingest_document

REGION = "31.73"


def _operations() -> bytes:
    variables = {"input": {"region": region_id(REGION), "category": "MINUTES", "file": None}}
    return json.dumps({"query": UPLOAD_MUTATION, "variables": variables}).encode()


MAP = json.dumps({"0": ["variables.input.file"]}).encode()


class RecordingDispatcher:
    """Keeps the ids the hub hands on for ingest and indexing, so that a test can run them for real."""

    def __init__(self) -> None:
        self.ingests: list[str] = []
        self.indexed: list[str] = []

    def ingest_document(self, document_id: str) -> None:
        self.ingests.append(document_id)

    def index_document(self, document_id: str) -> None:
        self.indexed.append(document_id)

    def index_record(self, kind: str, record_id: str) -> None:
        self.indexed.append(record_id)


async def _stored(clients: Clients) -> tuple[int, list[str]]:
    count = await clients.mongo[clients.settings.mongo_database]["documents"].count_documents({})
    return count, sorted(await asyncio.to_thread(clients.store.keys_sync))


def _refusal(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    [error] = response.json()["errors"]
    assert isinstance(error["extensions"]["code"], str)
    return dict(error)


# ---- a refused request stores nothing -----------------------------------------------------------------


async def test_the_mapped_file_first_then_too_many_parts_stores_nothing(
    settings: Settings, seeded: Clients, accounts: dict[str, Account]
) -> None:
    dispatcher = RecordingDispatcher()
    app = create_app(settings, dispatcher=dispatcher, shared_clients=seeded)
    name = f"notulen-{uuid.uuid4().hex}.txt"
    extra = [part(f"x{index}", b"x", f"x{index}.txt") for index in range(1000)]
    raw = part("operations", _operations()) + part("map", MAP) + part("0", unique_text(), name)
    raw += b"".join(extra) + closing()
    async with app.router.lifespan_context(app), app_clients(app)(accounts["admin"].token) as http:
        listed = await gql_field(http, LIST, {"filter": {"region": REGION}, "first": 1})
        before = await _stored(seeded)
        response = await post(http, stream(chunks(raw, 16 * 1024)))
        error = _refusal(response, 400)
        assert error["extensions"]["code"] == "MULTIPART_TOO_MANY_PARTS"
        assert "more than 1000 files" in error["message"]
        # Not recorded, not in the bucket, not listed ...
        assert await _stored(seeded) == before
        after = await gql_field(http, LIST, {"filter": {"region": REGION}, "first": 1})
        assert after["totalCount"] == listed["totalCount"]
    # ... and not indexed: whatever was handed on is ingested for real, then the index is searched.
    for document_id in dispatcher.ingests + dispatcher.indexed:
        await ingest_document(seeded, document_id)
    index = f"{seeded.settings.es_index_prefix}-documents"
    await seeded.es.indices.refresh(index=index)
    found = await seeded.es.count(index=index, query={"match_phrase": {"title": name}})
    assert (dispatcher.ingests, dispatcher.indexed, found["count"]) == ([], [], 0)


# ---- every refusal is typed ---------------------------------------------------------------------------


def _fields(count: int) -> bytes:
    return b"".join(part(f"f{index}", b"x") for index in range(count))


FILE = part("0", b"Notulen rapat", "notulen.txt")


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        (
            part("operations", _operations()) + part("map", MAP) + _fields(1000) + FILE + closing(),
            "MULTIPART_TOO_MANY_PARTS",
            "more than 1000 fields",
        ),
        (
            part("operations", _operations()) + part("map", MAP) + part("1", b"x", "a.txt") + closing(),
            "MULTIPART_FILE_MISSING",
            "File(s) missing in form data",
        ),
        (
            part("operations", _operations()) + part("map", b'{"0": "variables.input.file"}') + FILE,
            "MULTIPART_MAP_INVALID",
            "`map`",
        ),
        (
            part("operations", b"{not json") + part("map", MAP) + FILE + closing(),
            "MULTIPART_OPERATIONS_INVALID",
            "`operations`",
        ),
        (
            part("operations", _operations()) + part("map", MAP) + FILE[:-40],
            "MULTIPART_MALFORMED",
            "ended before its closing boundary",
        ),
    ],
    ids=["1001-fields", "missing-file", "bad-map", "bad-operations", "cut-off"],
)
async def test_refusals_are_typed_json_and_store_nothing(
    http: httpx.AsyncClient, clients: Clients, raw: bytes, code: str, message: str
) -> None:
    before = await _stored(clients)
    error = _refusal(await post(http, stream([raw])), 400)
    assert error["extensions"]["code"] == code
    assert message in error["message"]
    assert await _stored(clients) == before


# ---- nothing is read before the request is admitted ---------------------------------------------------

CHUNK = 64 * 1024


def _text_fields(total: int, field_bytes: int = 512 * 1024) -> AsyncIterator[bytes]:
    """`operations` and `map`, then `total` bytes of text fields, produced lazily as they are sent."""

    def produce() -> Any:
        yield part("operations", _operations()) + part("map", MAP)
        for index in range(total // field_bytes):
            yield from chunks(part(f"junk{index}", b"a" * field_bytes), CHUNK)
        yield closing()

    return stream(produce())


@pytest.fixture
def counted(app: Starlette) -> tuple[BodyCounter, Client]:
    """Clients of the session's app, whose request-body bytes read are counted."""
    counter = BodyCounter(app)
    return counter, app_clients(counter)  # type: ignore[arg-type]  (any ASGI app will do)


@pytest.mark.parametrize(("token", "code"), [(None, "UNAUTHENTICATED"), ("not-a-token", "INVALID_TOKEN")])
async def test_an_anonymous_upload_is_refused_before_the_body_is_read(
    counted: tuple[BodyCounter, Client], token: str | None, code: str
) -> None:
    counter, make = counted
    async with make(token) as client:
        response = await post(client, _text_fields(50 * 1024 * 1024))
    assert _refusal(response, 401)["extensions"]["code"] == code
    assert counter.read == 0


async def test_text_fields_are_capped_in_all(
    counted: tuple[BodyCounter, Client],
    accounts: dict[str, Account],
    settings: Settings,
    clients: Clients,
) -> None:
    counter, make = counted
    before = await _stored(clients)
    async with make(accounts["operator-31.74"].token) as client:
        response = await post(client, _text_fields(50 * 1024 * 1024))
    error = _refusal(response, 400)
    assert error["extensions"]["code"] == "MULTIPART_FIELDS_TOO_LARGE"
    assert f"{settings.max_json_body_bytes} bytes" in error["message"]
    # What was read: the fields up to the cap, and at most the chunk that went over it.
    assert counter.read <= settings.max_json_body_bytes + 2 * CHUNK
    assert await _stored(clients) == before


async def test_a_caller_over_budget_is_refused_before_the_body_is_read(
    rate_limited_app: Starlette, accounts: dict[str, Account], seeded: Clients
) -> None:
    counter = BodyCounter(rate_limited_app)
    user = f"upload-{uuid.uuid4().hex[:8]}"
    # Its own region, so that the user lists other tests check do not see it.
    await create_user(username=user, password=TEST_PASSWORD, role=Role.OPERATOR, region_code="51.71")
    token = (await login(seeded.settings, user, TEST_PASSWORD)).access_token
    async with app_clients(counter)(token) as http:  # type: ignore[arg-type]
        for _ in range(TIGHT_RATE_LIMIT):
            assert (await gql(http, "{ __typename }")) == {"__typename": "Query"}
        counter.read = 0
        response = await post(http, _text_fields(2 * 1024 * 1024))
    error = _refusal(response, 429)
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert int(response.headers["Retry-After"]) > 0
    assert counter.read == 0


# ---- a name that lies about the type ------------------------------------------------------------------

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script>"


@pytest.mark.parametrize(
    ("data", "name", "content_type", "shown"),
    [
        (HTML + uuid.uuid4().hex.encode() + b"</body></html>", "photo.png", "text/plain", "photo.txt"),
        (
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + uuid.uuid4().bytes,
            "foto kegiatan.png",
            "image/jpeg",
            "foto kegiatan.jpg",
        ),
    ],
)
async def test_the_display_name_follows_the_sniffed_type(
    http: httpx.AsyncClient, data: bytes, name: str, content_type: str, shown: str
) -> None:
    result = payload(await upload(http, region=REGION, data=data, name=name, category="PHOTO"))
    assert result["errors"] == []
    document = result["document"]
    assert (document["contentType"], document["fileName"]) == (content_type, shown)
