"""The region tree is cached in every process; a change made in one process is announced over Redis, and the
others drop their copy at once, not when it expires. The API server here caches for an hour, so only the
announcement can explain that it sees the change."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.caches import synced
from hub.clients import Clients
from hub.regions.models import Region
from hub.regions.services import forget_region_tree
from hub.settings import Settings
from tests.conftest import Account
from tests.live_helpers import api_process

CENTRES = 'query { regionCentroids(parent: "34") }'
REGION = "34.71"  # Kota Yogyakarta


async def _name_seen(base: str, token: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post(
            "/graphql", json={"query": CENTRES}, headers={"Authorization": f"Bearer {token}"}
        )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    features = body["data"]["regionCentroids"]["features"]
    return str(next(item for item in features if item["id"] == REGION)["properties"]["name"])


async def _rename(name: str) -> None:
    await Region.get_pymongo_collection().update_one({"_id": REGION}, {"$set": {"name": name}})


@pytest.fixture
async def server(settings: Settings, seeded: Clients, tmp_path: Path) -> AsyncIterator[str]:
    original = (await Region.get(REGION)).name  # type: ignore[union-attr]
    with api_process(settings, tmp_path / "api.log", env={"PANTAU_REGION_CACHE_SECONDS": "3600"}) as base:
        yield base
    await _rename(original)
    with synced(seeded.redis, settings):
        await forget_region_tree()


async def test_a_change_in_one_process_reaches_the_others_cache(
    server: str, seeded: Clients, settings: Settings, accounts: dict[str, Account]
) -> None:
    token = accounts["admin"].token
    original = await _name_seen(server, token)  # the server has loaded and cached the tree
    await _rename("Kota Yogyakarta (diubah)")
    # Changed in MongoDB behind the cache's back: the server still answers from its copy.
    assert await _name_seen(server, token) == original

    with synced(seeded.redis, settings):
        await forget_region_tree()  # what seeding or an island flag change does after writing
    for _ in range(150):
        if await _name_seen(server, token) == "Kota Yogyakarta (diubah)":
            break
        await asyncio.sleep(0.2)
    else:
        raise AssertionError("the server kept its stale region tree")
