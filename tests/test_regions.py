"""The official region tree through GraphQL."""

from __future__ import annotations

import httpx

from hub.regions.models import Region
from hub.regions.seed import seed_regions
from tests.graphql import gql, post, region_id


async def test_counts_38_provinces_and_514_regencies_and_cities(http: httpx.AsyncClient) -> None:
    data = await gql(
        http,
        """{ provinces: regions(level: PROVINCE, first: 0) { totalCount }
             regencies: regions(level: REGENCY, first: 0) { totalCount }
             cities: regions(level: CITY, first: 0) { totalCount } }""",
    )
    assert data["provinces"]["totalCount"] == 38
    assert data["regencies"]["totalCount"] + data["cities"]["totalCount"] == 514
    assert (data["regencies"]["totalCount"], data["cities"]["totalCount"]) == (416, 98)


async def test_jakarta_has_its_six_children_with_parent_and_ancestors(http: httpx.AsyncClient) -> None:
    data = await gql(
        http,
        """{ region(code: "31") { code name level parent { code level }
               children { code name level parent { code } ancestors { code } } } }""",
    )
    jakarta = data["region"]
    assert jakarta["level"] == "PROVINCE"
    assert jakarta["parent"] == {"code": "ID", "level": "NATIONAL"}
    codes = [child["code"] for child in jakarta["children"]]
    assert codes == ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    assert all(child["parent"]["code"] == "31" for child in jakarta["children"])
    assert jakarta["children"][1]["ancestors"] == [{"code": "ID"}, {"code": "31"}]


async def test_unknown_region_is_null(http: httpx.AsyncClient) -> None:
    assert (await gql(http, '{ region(code: "99.99") { code } }'))["region"] is None


async def test_pages_walk_every_province_once(http: httpx.AsyncClient) -> None:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = await gql(
            http,
            """query($after: String) { regions(parent: "ID", first: 10, after: $after) {
                 totalCount pageInfo { hasNextPage endCursor } nodes { code } } }""",
            {"after": after},
        )
        page = data["regions"]
        seen += [node["code"] for node in page["nodes"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 4
    assert len(seen) == len(set(seen)) == page["totalCount"] == 38
    assert seen == sorted(seen)


async def test_node_lookup_by_global_id(http: httpx.AsyncClient) -> None:
    data = await gql(
        http,
        "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Region { code name } } }",
        {"ids": [region_id("31.74"), region_id("11")]},
    )
    assert [node["code"] for node in data["nodes"]] == ["31.74", "11"]
    assert data["nodes"][0]["id"] == region_id("31.74")


async def test_bad_cursor_and_page_size_give_clear_errors(http: httpx.AsyncClient) -> None:
    body = await post(http, '{ regions(after: "bm9wZQ==") { totalCount } }')
    assert "is not valid here" in body["errors"][0]["message"]
    body = await post(http, "{ regions(first: 1000) { totalCount } }")
    assert "between 0 and 100" in body["errors"][0]["message"]


async def test_seeding_again_changes_nothing(http: httpx.AsyncClient) -> None:
    before = await Region.find_all().count()
    await seed_regions()
    assert await Region.find_all().count() == before == 553
