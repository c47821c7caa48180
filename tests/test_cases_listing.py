"""The `cases` connection: filters, scope, stable keyset pages, computed overdue, and no query per item."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from hub.access.models import User
from hub.access.sessions import principal_for_user
from hub.cases.escalation import escalate_case
from hub.cases.models import Case, CaseCategory, CaseStatus
from hub.cases.services import CaseDraft, add_follow_up, assign, open_case
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import StoredDocument
from hub.regions.models import Region
from hub.reports.models import RiskLevel
from tests.case_factories import NODE, make_document
from tests.conftest import Account
from tests.graphql import Client, global_id, gql_field_as, post_as, raw_id
from tests.mongo_commands import COMMANDS

REGIONS = ["31.74", "31.71", "11.01"]
CATEGORIES = [CaseCategory.LOGISTICS, CaseCategory.NPHD, CaseCategory.SECURITY, CaseCategory.NEUTRALITY]
SEVERITIES = list(RiskLevel)
LIST = """query($f: CaseFilter, $o: CaseOrder!, $n: Int, $a: String) {
  cases(filter: $f, orderBy: $o, first: $n, after: $a) {
    totalCount edges { cursor } nodes { id overdue }
    pageInfo { hasNextPage hasPreviousPage endCursor } } }"""


async def _admin_principal() -> Any:
    admin = await User.find_one({"username": "admin"})
    assert admin is not None
    return principal_for_user(admin)


async def _open(stage: str, index: int, due: datetime) -> Case:
    opened = await open_case(
        await _admin_principal(),
        CaseDraft(
            title=f"Kendala {index}",
            category=CATEGORIES[index % len(CATEGORIES)],
            severity=SEVERITIES[index % len(SEVERITIES)],
            due_at=due,
            region_code=REGIONS[index % len(REGIONS)],
            stage_code=stage,
        ),
    )
    return opened.case


@pytest.fixture(scope="module")
async def listed(accounts: dict[str, Account]) -> tuple[str, list[Case]]:
    """15 cases under one stage code: pairs share a due date; two are overdue, one resolved."""
    stage = f"list-{uuid.uuid4().hex[:8]}"
    base = utcnow() + timedelta(days=40)
    cases = [await _open(stage, index, base + timedelta(days=index // 2)) for index in range(15)]
    collection = Case.get_pymongo_collection()
    past = utcnow() - timedelta(days=2)
    await collection.update_many(
        {"_id": {"$in": [cases[0].id, cases[1].id, cases[2].id]}}, {"$set": {"due_at": past}}
    )
    await collection.update_one({"_id": cases[2].id}, {"$set": {"status": CaseStatus.RESOLVED.value}})
    fresh = await Case.find({"stage_code": stage}).to_list()
    return stage, fresh


async def _walk(client_for: Client, token: str, variables: dict[str, Any], size: int) -> list[str]:
    """Every page in turn; checks totalCount and pageInfo on the way."""
    seen: list[str] = []
    after = None
    while True:
        page = await gql_field_as(client_for, token, LIST, {**variables, "n": size, "a": after}, "cases")
        seen += [node["id"] for node in page["nodes"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        assert [edge["cursor"] for edge in page["edges"]][-1:] == [page["pageInfo"]["endCursor"]]
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        assert len(page["nodes"]) == size
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize(
    ("order", "key", "reverse"),
    [
        ("DUE_AT_ASC", lambda case: (case.due_at, case.id), False),
        ("DUE_AT_DESC", lambda case: (case.due_at, case.id), True),
        ("CREATED_AT_DESC", lambda case: (case.created_at, case.id), True),
    ],
)
async def test_pages_are_stable_and_complete(
    client_for: Client,
    accounts: dict[str, Account],
    listed: tuple[str, list[Case]],
    order: str,
    key: Callable[[Case], Any],
    reverse: bool,
) -> None:
    stage, cases = listed
    token = accounts["reviewer"].token
    variables = {"f": {"stageCode": stage}, "o": order}
    first = await gql_field_as(client_for, token, LIST, {**variables, "n": 4}, "cases")
    assert first["totalCount"] == 15
    expected = [global_id("Case", case.id) for case in sorted(cases, key=key, reverse=reverse)]
    assert await _walk(client_for, token, variables, 4) == expected
    assert await _walk(client_for, token, variables, 4) == expected


async def test_a_cursor_belongs_to_its_order(
    client_for: Client, accounts: dict[str, Account], listed: tuple[str, list[Case]]
) -> None:
    stage, _ = listed
    token = accounts["admin"].token
    page = await gql_field_as(
        client_for, token, LIST, {"f": {"stageCode": stage}, "o": "DUE_AT_ASC", "n": 2}, "cases"
    )
    cursor = page["pageInfo"]["endCursor"]
    body = await post_as(
        client_for, token, LIST, {"f": {"stageCode": stage}, "o": "CREATED_AT_ASC", "a": cursor}
    )
    assert "not valid here" in body["errors"][0]["message"]


def _count(cases: list[Case], keep: Callable[[Case], bool]) -> int:
    return sum(1 for case in cases if keep(case))


async def test_filters(
    client_for: Client, accounts: dict[str, Account], listed: tuple[str, list[Case]]
) -> None:
    stage, cases = listed
    now = utcnow()
    due_sorted = sorted(case.due_at for case in cases)
    low, high = due_sorted[4], due_sorted[10]
    checks: list[tuple[dict[str, Any], int]] = [
        ({"region": "31"}, _count(cases, lambda case: "31" in case.region_path)),
        ({"region": "31.74"}, _count(cases, lambda case: case.region_code == "31.74")),
        ({"statuses": ["RESOLVED"]}, 1),
        ({"statuses": ["OPEN", "IN_PROGRESS"]}, 14),
        (
            {"severities": ["HIGH", "CRITICAL"]},
            _count(cases, lambda case: case.severity in {RiskLevel.HIGH, RiskLevel.CRITICAL}),
        ),
        ({"categories": ["NPHD"]}, _count(cases, lambda case: case.category is CaseCategory.NPHD)),
        ({"overdue": True}, 2),
        ({"overdue": False}, 13),
        (
            {"dueAfter": low.isoformat(), "dueBefore": high.isoformat()},
            _count(cases, lambda case: low < case.due_at < high),
        ),
        (
            {"region": "31", "severities": ["LOW"], "overdue": False},
            _count(
                cases,
                lambda case: (
                    "31" in case.region_path
                    and case.severity is RiskLevel.LOW
                    and not (case.status is not CaseStatus.RESOLVED and case.due_at < now)
                ),
            ),
        ),
    ]
    token = accounts["admin"].token
    for given, expected in checks:
        page = await gql_field_as(
            client_for,
            token,
            LIST,
            {"f": {**given, "stageCode": stage}, "o": "DUE_AT_ASC", "n": 100},
            "cases",
        )
        assert (page["totalCount"], len(page["nodes"])) == (expected, expected), given
    overdue = await gql_field_as(
        client_for, token, LIST, {"f": {"stageCode": stage, "overdue": True}, "o": "DUE_AT_ASC"}, "cases"
    )
    assert {node["id"] for node in overdue["nodes"]} == {global_id("Case", case.id) for case in cases[:2]}
    assert all(node["overdue"] for node in overdue["nodes"])


async def test_the_scope_is_always_applied(
    client_for: Client, accounts: dict[str, Account], listed: tuple[str, list[Case]]
) -> None:
    stage, cases = listed
    expected = {
        "operator-11.01": {"11.01"},
        "operator-31.74": {"31.74"},
        "leader-31": {"31.74", "31.71"},
        "reviewer": set(REGIONS),
    }
    for who, regions in expected.items():
        variables = {"f": {"stageCode": stage}, "o": "DUE_AT_ASC", "n": 100}
        page = await gql_field_as(client_for, accounts[who].token, LIST, variables, "cases")
        visible = {global_id("Case", case.id) for case in cases if case.region_code in regions}
        assert {node["id"] for node in page["nodes"]} == visible, who
        assert page["totalCount"] == len(visible)
    # A region filter cannot widen the scope.
    aceh = await gql_field_as(
        client_for,
        accounts["operator-11.01"].token,
        LIST,
        {"f": {"stageCode": stage, "region": "31"}, "o": "DUE_AT_ASC"},
        "cases",
    )
    assert aceh["totalCount"] == 0


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"region": "99"}, "no region has the code"),
        ({"sourceReport": global_id("Region", "31")}, "must be the id of a Report"),
        ({"dueAfter": "2030-01-02T00:00:00Z", "dueBefore": "2030-01-01T00:00:00Z"}, "must be before"),
    ],
)
async def test_bad_filters_are_refused(
    client_for: Client, accounts: dict[str, Account], given: dict[str, Any], message: str
) -> None:
    body = await post_as(client_for, accounts["admin"].token, LIST, {"f": given, "o": "DUE_AT_ASC"})
    assert body["data"] is None
    assert message in body["errors"][0]["message"]


async def test_overdue_is_computed(
    client_for: Client, accounts: dict[str, Account], listed: tuple[str, list[Case]]
) -> None:
    _, cases = listed
    token = accounts["admin"].token
    overdue = await gql_field_as(client_for, token, NODE, {"id": global_id("Case", cases[0].id)}, "node")
    resolved_late = await gql_field_as(
        client_for, token, NODE, {"id": global_id("Case", cases[2].id)}, "node"
    )
    on_time = await gql_field_as(client_for, token, NODE, {"id": global_id("Case", cases[5].id)}, "node")
    assert (overdue["overdue"], resolved_late["overdue"], on_time["overdue"]) == (True, False, False)


async def _rich_cases(clients: Clients, stage: str, count: int) -> None:
    """Cases with everything a list shows: an assignee, follow-ups with evidence, an escalation."""
    principal = await _admin_principal()
    operator = await User.find_one({"username": "operator-31.74"})
    assert operator is not None
    for index in range(count):
        case = await _open(stage, 0, utcnow() + timedelta(days=5))  # index 0: region 31.74
        document = raw_id(await make_document(clients, "31.74"))
        await assign(principal, str(case.id), str(operator.id))
        await add_follow_up(principal, str(case.id), note=f"langkah {index}", evidence=[document])
        fresh = await Case.get(case.id)
        assert fresh is not None
        assert await escalate_case(fresh, fresh.due_at + timedelta(seconds=1), timedelta(days=7)) is not None


RICH = """query($s: String!) { cases(filter: {stageCode: $s}, first: 50) { totalCount nodes {
  region { code } escalatedTo { code } assignee { username } viewerCanResolve
  followUps { evidence { id region { code } } } escalations { fromRegion { code } toRegion { code } } } } }"""


async def test_lists_load_related_objects_in_batches(
    client_for: Client, accounts: dict[str, Account], seeded: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()
    for model in (Case, Region, User, StoredDocument):
        original = model.find

        def counting(
            *args: Any, _original: Any = original, _name: str = model.__name__, **kwargs: Any
        ) -> Any:
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(model, "find", counting)

    counted: list[Counter[str]] = []
    sent: list[int] = []  # every MongoDB command of the request, authentication included
    for size in (2, 8):
        stage = f"batch-{uuid.uuid4().hex[:8]}"
        await _rich_cases(seeded, stage, size)
        calls.clear()
        COMMANDS.reset()
        page = await gql_field_as(client_for, accounts["admin"].token, RICH, {"s": stage}, "cases")
        sent.append(COMMANDS.total)
        assert page["totalCount"] == size
        assert all(node["assignee"] == {"username": "operator-31.74"} for node in page["nodes"])
        assert all(len(node["followUps"][0]["evidence"]) == 1 for node in page["nodes"])
        counted.append(Counter(calls))
    assert counted[0] == counted[1], counted
    assert sent[0] == sent[1], sent
    assert counted[1]["User"] == 1
    assert counted[1]["StoredDocument"] == 1
