"""Cursor pages reach past the result window of `from`/`size`: a test-only index with a window of 50 is read
to its end, 25 hits at a time, in every order, within a scope."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from elasticsearch import BadRequestError
from elasticsearch.helpers import async_bulk

from hub.access.scope import Scope
from hub.clients import Clients
from search.filters import SearchOrder
from search.indices import DOCUMENTS
from search.service import SearchRequest, search
from tests.search_corpus import new_marker

WINDOW = 50
COUNT = 120


@pytest.fixture(scope="module")
async def paging_index(clients: Clients) -> AsyncIterator[tuple[str, str]]:
    index = f"{clients.settings.es_index_prefix}-paging-{uuid.uuid4().hex[:6]}"
    body = DOCUMENTS.body()
    body["settings"]["max_result_window"] = WINDOW
    await clients.es.indices.create(index=index, **body)
    marker = new_marker()
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def actions() -> list[dict[str, object]]:
        made = []
        for number in range(COUNT):
            region = ["ID", "31", "31.74"] if number % 2 else ["ID", "11", "11.01"]
            record_id = f"{number:024x}"
            made.append(
                {
                    "_index": index,
                    "_id": record_id,
                    "_source": {
                        "kind": "document",
                        "record_id": record_id,
                        "title": f"catatan {number}",
                        "text": f"catatan harian {marker}",
                        "text_stem": f"catat hari {marker}",
                        "region_code": region[-1],
                        "region_path": region,
                        "province": region[1],
                        # Pairs share a date: the id breaks the tie.
                        "date": (start + timedelta(hours=number // 2)).isoformat(),
                    },
                }
            )
        return made

    await async_bulk(clients.es, actions(), refresh=True)
    try:
        yield index, marker
    finally:
        await clients.es.indices.delete(index=index)


async def test_from_and_size_stop_at_the_window(clients: Clients, paging_index: tuple[str, str]) -> None:
    index, _ = paging_index
    with pytest.raises(BadRequestError):
        await clients.es.search(index=index, from_=WINDOW + 10, size=10)


async def _all_pages(
    clients: Clients, index: str, marker: str, order: SearchOrder, scope: Scope
) -> tuple[list[str], int]:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        request = SearchRequest(text=marker, order=order, first=25, after=after)
        page = await search(clients.es, "unused", request, scope=scope, index=index)
        pages += 1
        seen += [hit.id for hit in page.items]
        assert page.total_count == COUNT if scope.region_roots is None else COUNT // 2
        if not page.has_next_page:
            return seen, pages
        after = page.items[-1].cursor


@pytest.mark.parametrize("order", list(SearchOrder))
async def test_cursor_pages_go_past_the_window(
    clients: Clients, paging_index: tuple[str, str], order: SearchOrder
) -> None:
    index, marker = paging_index
    seen, pages = await _all_pages(clients, index, marker, order, Scope.everything())
    assert len(seen) == len(set(seen)) == COUNT
    assert pages == 5
    ascending = sorted(seen)
    if order is SearchOrder.OLDEST:
        assert seen == ascending
    elif order is SearchOrder.NEWEST:
        assert seen == ascending[::-1]


async def test_cursor_pages_stay_in_the_scope(clients: Clients, paging_index: tuple[str, str]) -> None:
    index, marker = paging_index
    scope = Scope.subtrees(["31.74"])
    seen, _ = await _all_pages(clients, index, marker, SearchOrder.NEWEST, scope)
    assert len(seen) == len(set(seen)) == COUNT // 2
    assert all(int(record_id, 16) % 2 == 1 for record_id in seen)
