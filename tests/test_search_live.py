"""A change made through GraphQL becomes searchable through the worker, without waiting for the sweep."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx

from tests.case_factories import CREATE, FOLLOW_UP, case_input
from tests.graphql import gql
from tests.search_corpus import new_marker

SEARCH = """query($q: String!) { search(query: $q) { totalCount nodes { node { ... on Case { id } } } } }"""


async def _wait_until_found(http: httpx.AsyncClient, q: str, worker_log: Path) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = (await gql(http, SEARCH, {"q": q}))["search"]
        if found["totalCount"]:
            return found
        await asyncio.sleep(0.3)
    tail = await asyncio.to_thread(lambda: worker_log.read_text()[-3000:])
    raise AssertionError(f"{q!r} never became searchable; worker log:\n{tail}")


async def test_case_changes_are_indexed_by_the_worker(http: httpx.AsyncClient, worker: Path) -> None:
    marker = new_marker()
    given = case_input(description=f"Surat suara tertukar antar dapil {marker}")
    created = (await gql(http, CREATE, {"input": given}))["caseCreate"]
    assert created["errors"] == []
    case = created["case"]
    # The index refreshes every second; the search finds the case by a stem of its description.
    found = await _wait_until_found(http, f"tertukarnya {marker}", worker)
    assert [hit["node"]["id"] for hit in found["nodes"]] == [case["id"]]

    note = f"Gudang disegel kepolisian {new_marker()}"
    added = await gql(http, FOLLOW_UP, {"id": case["id"], "input": {"note": note}})
    assert added["caseFollowUpAdd"]["errors"] == []
    found = await _wait_until_found(http, f"{note.split()[-1]} {marker}", worker)
    assert [hit["node"]["id"] for hit in found["nodes"]] == [case["id"]]
