"""A page of reports reads summaries unless it shows a report's text, and its related objects are built once
per page and handed to the rows (schema.reports.page): whichever way a field is asked for (directly, in a
fragment, under edges), the answer is the one the report's own resolvers give."""

from __future__ import annotations

from tests.conftest import Account
from tests.graphql import Client, gql_as, gql_field_as
from tests.reports_helpers import COMPLETE_VALUES, NARRATIVES, STEP, content, create_report
from tests.test_reports import fresh_period

LIST = """query($key: String!) { reports(filter: {region: "31.74", periodFrom: $key, periodTo: $key}) {
  nodes { id title region { code name parent { code } } author { username } caseCount period { key } } } }"""
WITH_TEXT = """query($key: String!) { reports(filter: {region: "31.74", periodFrom: $key, periodTo: $key}) {
  edges { node { ...Text } } } }
fragment Text on Report { id narratives { section text } values { code value } }"""
ACTORS = """query($key: String!) { reports(filter: {region: "31.74", periodFrom: $key, periodTo: $key}) {
  nodes { id author { username } reviewer { username } } } }"""
NODE = """query($id: ID!) { node(id: $id) { ... on Report { id title region { code name parent { code } }
  author { username } caseCount period { key } narratives { section text } values { code value } } } }"""


async def _report(client_for: Client, accounts: dict[str, Account]) -> tuple[str, str]:
    year, quarter = fresh_period()  # a period no other test writes for this region
    created = await create_report(
        client_for,
        accounts["operator-31.74"].token,
        "31.74",
        year,
        quarter,
        content(COMPLETE_VALUES, NARRATIVES),
    )
    return created["id"], f"{year}-Q{quarter}"


async def test_a_list_page_answers_as_the_report_itself(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report_id, key = await _report(client_for, accounts)
    token = accounts["coordinator-31"].token
    (listed,) = (await gql_as(client_for, token, LIST, {"key": key}))["reports"]["nodes"]
    alone = (await gql_as(client_for, token, NODE, {"id": report_id}))["node"]
    assert listed == {name: alone[name] for name in listed}
    assert listed["region"] == {"code": "31.74", "name": alone["region"]["name"], "parent": {"code": "31"}}
    assert listed["author"] == {"username": "operator-31.74"}


async def test_text_asked_for_in_a_fragment_is_read_in_full(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report_id, key = await _report(client_for, accounts)
    token = accounts["coordinator-31"].token
    (edge,) = (await gql_as(client_for, token, WITH_TEXT, {"key": key}))["reports"]["edges"]
    assert edge["node"]["id"] == report_id
    assert {item["section"]: item["text"] for item in edge["node"]["narratives"]} == NARRATIVES
    assert {item["code"] for item in edge["node"]["values"]} == set(COMPLETE_VALUES)


async def test_a_list_page_shows_only_the_actors_the_viewer_may_see(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    """The province's coordinator verified; the regency's operator may not see that account: a page of
    reports answers null for it, as the report's own resolver does (schema.access.actors)."""
    report_id, key = await _report(client_for, accounts)
    operator, coordinator = accounts["operator-31.74"].token, accounts["coordinator-31"].token
    for token, step in ((operator, "reportSubmit"), (coordinator, "reportVerify")):
        done = await gql_field_as(client_for, token, STEP[step], {"id": report_id, "input": None})
        assert done["errors"] == [], done["errors"]
    alone = """query($id: ID!) { node(id: $id) { ... on Report {
      id author { username } reviewer { username } } } }"""
    for token, reviewer in ((operator, None), (coordinator, {"username": "coordinator-31"})):
        (listed,) = (await gql_as(client_for, token, ACTORS, {"key": key}))["reports"]["nodes"]
        assert listed == {"id": report_id, "author": {"username": "operator-31.74"}, "reviewer": reviewer}
        assert listed == (await gql_as(client_for, token, alone, {"id": report_id}))["node"]
