"""Shared by the sync tests: a client that keeps a copy of one listing through `updatedSince` and `deleted`,
as an offline app does."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hub.core.clock import utcnow
from hub.regions.services import get_region
from tests.graphql import Client, gql_as, post_as

DELETED = """query($since: DateTime, $kinds: [SyncKind!], $first: Int, $after: String) {
  deleted(since: $since, kinds: $kinds, first: $first, after: $after) {
    syncedUntil totalCount pageInfo { hasNextPage endCursor } nodes { kind recordId removedAt } } }"""


def listing(field_name: str, fields: str = "id updatedAt", arguments: str = "") -> str:
    """A query paging `field_name` with `updatedSince`."""
    return f"""query($since: DateTime, $first: Int, $after: String) {{
      {field_name}(updatedSince: $since, first: $first, after: $after{arguments}) {{
        pageInfo {{ hasNextPage endCursor }} nodes {{ {fields} }} }} }}"""


async def deleted_page(
    client_for: Client,
    token: str,
    since: str | None,
    *,
    first: int = 100,
    after: str | None = None,
    **more: Any,
) -> dict[str, Any]:
    variables = {"since": since, "first": first, "after": after, **more}
    page: dict[str, Any] = (await gql_as(client_for, token, DELETED, variables))["deleted"]
    return page


async def removed_ids(client_for: Client, token: str, since: str, **more: Any) -> list[str]:
    """Every record id of the viewer's `deleted` feed since `since`, paged through."""
    found: list[str] = []
    after = None
    while True:
        page = await deleted_page(client_for, token, since, first=50, after=after, **more)
        found += [node["recordId"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


async def changed(
    client_for: Client, token: str, query: str, since: str | None, *, first: int = 100
) -> list[dict[str, Any]]:
    """Every node of a listing changed since `since`, paged through in the sync order."""
    found: list[dict[str, Any]] = []
    after = None
    while True:
        data = await gql_as(client_for, token, query, {"since": since, "first": first, "after": after})
        page = next(iter(data.values()))
        found += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


@dataclass
class Replica:
    """An offline copy of one listing: nodes by id, and where the next sync starts."""

    query: str
    kind: str
    since: str | None = None
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def sync(self, client_for: Client, token: str, *, first: int = 100) -> None:
        """One sync: the horizon first, then removals, then changes (the current state wins)."""
        head = await deleted_page(client_for, token, None, first=0)
        if self.since is not None:
            for record_id in await removed_ids(client_for, token, self.since, kinds=[self.kind]):
                self.rows.pop(record_id, None)
        for node in await changed(client_for, token, self.query, self.since, first=first):
            self.rows[node["id"]] = node
        self.since = head["syncedUntil"]


async def region_path(code: str) -> list[str]:
    region = await get_region(code)
    assert region is not None
    return [*region.ancestors, region.id]


def now_iso() -> str:
    return utcnow().isoformat()


async def refused_code(client_for: Client, token: str, query: str, variables: dict[str, Any]) -> str:
    body = await post_as(client_for, token, query, variables)
    assert body.get("errors"), body
    code: str = body["errors"][0]["extensions"]["code"]
    return code
