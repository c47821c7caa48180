"""A page of documents is read without their extracted text: a list shows names, states and regions, and a
hundred scans' text is tens of megabytes. Found by the load test: a page whose text passed the MongoDB wire's
largest message (48 MB) answered an internal error. A client that selects `extractedText` still gets it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from bson import ObjectId

from hub.documents.models import StoredDocument
from tests.conftest import Account
from tests.documents_helpers import LIST, unique_text
from tests.graphql import gql_field, payload, raw_id, upload

REGION = "63.01"  # used by no other test file
LONG_TEXT = "kata " * (2_600_000)  # 13 MB each: four are more than one MongoDB message may carry
TEXT_LIST = """query($filter: DocumentFilter, $first: Int) {
  documents(filter: $filter, first: $first) { nodes { id extractedText } } }"""


@pytest.fixture
async def long_texts(http: httpx.AsyncClient, accounts: dict[str, Account]) -> AsyncIterator[list[str]]:
    made: list[str] = []
    try:
        for index in range(4):
            result = payload(await upload(http, region=REGION, data=unique_text(), name=f"scan{index}.txt"))
            assert result["errors"] == []
            made.append(result["document"]["id"])
            changed = await StoredDocument.get_pymongo_collection().update_one(
                {"_id": ObjectId(raw_id(made[-1]))}, {"$set": {"text": LONG_TEXT}}
            )
            assert changed.modified_count == 1
        yield made
    finally:
        ids = [ObjectId(raw_id(document)) for document in made]
        await StoredDocument.get_pymongo_collection().delete_many({"_id": {"$in": ids}})


async def test_a_page_of_long_texts_is_listed(http: httpx.AsyncClient, long_texts: list[str]) -> None:
    page = await gql_field(http, LIST, {"filter": {"region": REGION}, "first": 10})
    assert page["totalCount"] == 4
    assert {node["id"] for node in page["nodes"]} == set(long_texts)


async def test_the_text_is_still_there_for_who_selects_it(
    http: httpx.AsyncClient, long_texts: list[str]
) -> None:
    page = await gql_field(http, TEXT_LIST, {"filter": {"region": REGION}, "first": 1})
    assert [node["extractedText"] for node in page["nodes"]] == [LONG_TEXT]
