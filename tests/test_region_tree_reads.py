"""Requests take their regions from the region tree an API process keeps loaded (hub.regions.services), and
stay right when the tree does not hold what they ask for: a region added since is read from MongoDB, and a
tree dropped by a change sends them to MongoDB until it is read again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from hub.caches import clear_local
from hub.clients import Clients
from hub.regions.models import Region, RegionLevel
from hub.regions.services import REGION_TREE_CACHE, forget_region_tree, regions_from_tree, reload_region_tree
from tests.mongo_commands import COMMANDS

NEW_CODE = "31.99"  # no such region in the seeded tree
RENAMED = "31.74"


@pytest.fixture
async def added_region(seeded: Clients) -> AsyncIterator[str]:
    await reload_region_tree()
    await Region(
        id=NEW_CODE, name="Kota Uji", level=RegionLevel.CITY, parent_code="31", ancestors=["ID", "31"]
    ).insert()
    try:
        yield NEW_CODE
    finally:
        await Region.get_pymongo_collection().delete_one({"_id": NEW_CODE})
        await forget_region_tree()


@pytest.fixture
async def renamed_region(seeded: Clients) -> AsyncIterator[tuple[str, str]]:
    collection = Region.get_pymongo_collection()
    original = (await collection.find_one({"_id": RENAMED}))["name"]
    try:
        yield RENAMED, original
    finally:
        await collection.update_one({"_id": RENAMED}, {"$set": {"name": original}})
        await forget_region_tree()


async def test_regions_in_the_kept_tree_cost_no_query(seeded: Clients) -> None:
    await reload_region_tree()
    COMMANDS.reset()
    found = await regions_from_tree(["31", "31.74", "ID"])
    assert sum(COMMANDS.counts.values()) == 0, COMMANDS.counts
    assert sorted(found) == ["31", "31.74", "ID"]
    assert found["31.74"].parent_code == "31"


async def test_a_region_added_after_the_tree_was_read_is_found(added_region: str) -> None:
    COMMANDS.reset()
    found = await regions_from_tree(["31", added_region])
    assert COMMANDS.counts["find"] == 1, COMMANDS.counts  # only the code the tree does not hold
    assert found[added_region].name == "Kota Uji"
    assert found["31"].id == "31"


async def test_unknown_codes_are_left_out(seeded: Clients) -> None:
    await reload_region_tree()
    assert await regions_from_tree(["31", "00.00"]) == {"31": (await regions_from_tree(["31"]))["31"]}


async def test_a_dropped_tree_sends_requests_to_mongodb(renamed_region: tuple[str, str]) -> None:
    code, original = renamed_region
    await reload_region_tree()
    await Region.get_pymongo_collection().update_one({"_id": code}, {"$set": {"name": "Diubah"}})
    # Changed behind the cache's back: the kept tree still answers.
    assert (await regions_from_tree([code]))[code].name == original
    await forget_region_tree()  # what a change through the hub does after writing
    assert (await regions_from_tree([code]))[code].name == "Diubah"


async def test_a_tree_read_before_a_change_is_not_kept_after_it(renamed_region: tuple[str, str]) -> None:
    code, _ = renamed_region
    await forget_region_tree()
    COMMANDS.reset()
    reading = asyncio.create_task(reload_region_tree())
    for _ in range(100_000):  # until the read is on its way to MongoDB (counted by a command listener)
        if COMMANDS.counts["find"]:
            break
        await asyncio.sleep(0)
    assert COMMANDS.counts["find"] == 1 and not reading.done()
    clear_local(REGION_TREE_CACHE)  # a change announced while the tree read before it is still coming
    await reading
    await Region.get_pymongo_collection().update_one({"_id": code}, {"$set": {"name": "Diubah"}})
    # The tree read before the change was not kept: the region comes from MongoDB as it is now.
    assert (await regions_from_tree([code]))[code].name == "Diubah"
