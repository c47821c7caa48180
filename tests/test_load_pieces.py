"""The pure pieces of `make load` (infra/load): the target builder (operations, a token per user, the mix's
proportions, uploads) and the summary (percentiles, errors counted from HTTP statuses, GraphQL errors in a 200
and typed payload errors, the memory slope). Each operation's target is also sent once to the real app, whose
answers the summary must count as successes. No load runs here."""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from bson import ObjectId

from hub.core.ids import global_id
from infra.load.capacity import regions_seeded, table
from infra.load.queries import queries
from infra.load.summary import Tally, error_kind, held, latency_held, percentile, rss_growth
from infra.load.targets import MIX, UPLOAD_BYTES, WRITES, TargetBuilder, User
from tests.conftest import TEST_MAX_UPLOAD_BYTES, Account
from tests.graphql import Client

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
PERIODS = ["2026-Q1", "2026-Q2", "2026-Q3"]
READABLE = (global_id("Report", ObjectId()), global_id("Case", ObjectId()))


def builder(users: list[User], **extra: Any) -> TargetBuilder:
    return TargetBuilder(users, ["unjuk rasa", "NPHD"], ["http://a", "http://b"], PERIODS, NOW, **extra)


def sample_users() -> list[User]:
    return [
        User("operator", "token-operator", "31.74", writes=True, readable=READABLE),
        User("leader", "token-leader", "31", writes=False, readable=READABLE),
        User("reviewer", "token-reviewer", "ID", writes=False),
    ]


def decoded(target: dict[str, Any]) -> tuple[str, str, dict[str, Any] | bytes]:
    url = str(target["url"])
    operation = url.partition("?op=")[2]
    token = target["header"]["Authorization"][0].removeprefix("Bearer ")
    body = base64.b64decode(target["body"])
    return operation, token, json.loads(body) if operation != "upload" else body


def test_every_round_has_the_mix_proportions_exactly() -> None:
    stream = builder(sample_users()).targets()
    rounds = 3
    counted = Counter(decoded(next(stream))[0] for _ in range(rounds * sum(MIX.values())))
    assert counted == Counter({name: weight * rounds for name, weight in MIX.items()})


def test_each_target_carries_its_users_token_and_region_and_writes_only_for_writers() -> None:
    users = {user.token: user for user in sample_users()}
    stream = builder(list(users.values())).targets()
    seen_tokens, hosts = set(), Counter()
    for _ in range(sum(MIX.values())):
        target = next(stream)
        operation, token, body = decoded(target)
        user = users[token]
        seen_tokens.add(token)
        hosts[str(target["url"]).split("/graphql")[0]] += 1
        if operation in WRITES:
            assert user.writes, operation
        if operation == "detail":
            assert isinstance(body, dict) and body["variables"]["id"] in user.readable
        elif operation != "upload":
            assert isinstance(body, dict)
            variables = body["variables"]
            region = (variables.get("filter") or variables.get("input") or variables)["region"]
            assert region == user.region, (operation, variables)
    assert seen_tokens == set(users)
    assert hosts["http://a"] == hosts["http://b"]  # round-robin over the API processes


def test_the_same_seed_makes_the_same_targets_and_mutations_never_repeat_an_id() -> None:
    first = builder(sample_users(), seed=7).targets()
    second = builder(sample_users(), seed=7).targets()
    one = [next(first) for _ in range(300)]
    assert one == [next(second) for _ in range(300)]
    ids = []
    for target in one + [next(first) for _ in range(2000)]:
        operation, _, body = decoded(target)
        if operation in ("incident_create", "case_create"):
            assert isinstance(body, dict)
            ids.append(body["variables"]["input"]["clientMutationId"])
    assert ids and len(ids) == len(set(ids))


def test_uploads_are_multipart_files_of_one_to_five_mib_each_of_its_own_content() -> None:
    build = builder(sample_users(), mix={"upload": 1})
    uploads = [build.target("upload") for _ in range(3)]
    files = []
    for target in uploads:
        content_type = target["header"]["Content-Type"][0]
        assert content_type.startswith("multipart/form-data; boundary=")
        assert target["header"]["GraphQL-Preflight"] == ["1"]
        body = base64.b64decode(str(target["body"]))
        boundary = content_type.partition("boundary=")[2].encode()
        part = body.split(b"--" + boundary)[3]
        data = part.split(b"\r\n\r\n", 1)[1].removesuffix(b"\r\n")
        assert UPLOAD_BYTES[0] <= len(data) <= UPLOAD_BYTES[1]
        files.append(data[:200])
    assert len(set(files)) == 3


def test_the_builder_refuses_what_it_cannot_run() -> None:
    with pytest.raises(ValueError, match="users"):
        builder([])
    with pytest.raises(ValueError, match="unknown operations"):
        builder(sample_users(), mix={"drop_database": 5})
    readers = [User("leader", "t", "31", writes=False, readable=READABLE)]
    with pytest.raises(ValueError, match="may write"):
        builder(readers, mix={"incident_create": 1}).target("incident_create")


def test_a_few_hundred_distinct_queries() -> None:
    made = queries(range(2017, 2027))
    assert len(set(made)) >= 300


async def test_every_operation_runs_on_the_app_without_errors(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    """One target of each operation, sent to the real app with real tokens: all answered 200 with no error
    the summary would count (which also proves each query valid against the schema)."""
    operator, leader = accounts["operator-31.74"], accounts["leader-31"]
    users = [
        User(operator.username, operator.token, operator.region, writes=True, readable=READABLE),
        User(leader.username, leader.token, leader.region, writes=False, readable=READABLE),
    ]
    build = builder(users, upload_bytes=(1 << 20, TEST_MAX_UPLOAD_BYTES - 4096))  # the tests' body cap
    for operation in MIX:
        target = build.target(operation)
        headers = {name: values[0] for name, values in target["header"].items()}
        path = "/graphql?" + str(target["url"]).partition("?")[2]
        async with client_for(None) as http:
            answer = await http.post(path, content=base64.b64decode(target["body"]), headers=headers)
        result = {"code": answer.status_code, "body": base64.b64encode(answer.content).decode(), "error": ""}
        assert error_kind(result) is None, (operation, answer.text[:500])


async def test_a_refusal_of_the_app_counts_as_a_graphql_error(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    async with client_for(accounts["leader-31"].token) as http:
        answer = await http.post("/graphql", json={"query": "{ reports { nodes { noSuchField } } }"})
    result = {"code": answer.status_code, "body": base64.b64encode(answer.content).decode()}
    assert answer.status_code == 200
    assert error_kind(result) == "graphql GRAPHQL_VALIDATION_FAILED"


def result(op: str, ms: float, code: int = 200, body: object = None, error: str = "") -> dict[str, Any]:
    raw = base64.b64encode(json.dumps(body if body is not None else {"data": {"x": 1}}).encode()).decode()
    return {
        "url": f"http://h/graphql?op={op}",
        "latency": int(ms * 1e6),
        "code": code,
        "body": raw,
        "error": error,
        "timestamp": "2026-12-03T16:00:00.123456789Z",
    }


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7
    assert percentile([], 99) == 0


def test_the_summary_counts_every_kind_of_error_per_operation() -> None:
    tally = Tally()
    for ms in range(1, 101):
        tally.add(result("search", float(ms)))
    tally.add(result("search", 30000, code=0, error="context deadline exceeded"))
    tally.add(result("reports_list", 12, code=502))
    tally.add(
        result("reports_list", 9, body={"data": None, "errors": [{"extensions": {"code": "RATE_LIMITED"}}]})
    )
    payload = {"data": {"incidentCreate": {"report": None, "errors": [{"code": "FORBIDDEN"}]}}}
    tally.add(result("incident_create", 40, body=payload))
    tally.add(result("upload", 50, body=None))
    tally.add_line(json.dumps(result("detail", 5)) + "\n")
    tally.add_line("\n")
    summary = tally.summary(duration_s=2.0)
    assert summary["requests"] == 106
    assert summary["throughput_rps"] == 53.0
    assert summary["errors"] == 4
    assert summary["http_errors"] == 2
    assert summary["graphql_errors"] == 2
    search = summary["operations"]["search"]
    assert (search["requests"], search["p50_ms"], search["p99_ms"], search["errors"]) == (101, 51.0, 100.0, 1)
    assert summary["operations"]["reports_list"]["error_kinds"] == {"http 502": 1, "graphql RATE_LIMITED": 1}
    assert summary["operations"]["incident_create"]["error_kinds"] == {"payload FORBIDDEN": 1}
    assert summary["operations"]["upload"]["errors"] == 0
    assert error_kind({"code": 200, "body": base64.b64encode(b"<html>").decode()}) == "unparsable body"
    assert tally.first_ns == tally.last_ns == 1796313600123456789


def test_memory_growth_is_the_fitted_slope_after_warm_up() -> None:
    flat = [(float(t), 100e6 + (1e6 if t % 2 else -1e6)) for t in range(0, 600, 5)]
    assert abs(rss_growth(flat, warmup_s=60)["growth_pct"]) < 1
    # A jump during warm-up is left out; then +10 % over the remaining 540 s.
    growing = [(float(t), 50e6 if t < 60 else 100e6 * (1 + 0.1 * (t - 60) / 540)) for t in range(0, 605, 5)]
    measured = rss_growth(growing, warmup_s=60)
    assert 9.5 < measured["growth_pct"] < 10.5
    assert measured["slope_mib_per_min"] > 0
    assert rss_growth([], warmup_s=60)["growth_pct"] == 0


def test_a_run_holds_only_within_every_limit() -> None:
    good = {"throughput_rps": 199.0, "p99_ms": 240.0, "errors": 0, "rss_growth_pct": 3.0}
    assert held(good, 200)
    for change in ({"throughput_rps": 150.0}, {"p99_ms": 251.0}, {"errors": 1}, {"rss_growth_pct": 6.0}):
        assert not held({**good, **change}, 200), change


def test_the_capacity_arithmetic_scales_the_seeded_regions_to_the_country() -> None:
    measured = {
        "data_set": {
            "records": {"users": 2 + 2 * 138, "reports": 1000, "documents": 500},  # 138 regions: a quarter
            "bson_bytes": {"reports": 4_000_000, "documents": 1_000_000},
            "indices": [
                {"index": "load-x-reports-v2-2026", "docs.count": "1000", "store.size": "2000000"},
                {"index": "load-x-cases-v2", "docs.count": "0", "store.size": "249"},
            ],
            "bucket_objects": 10,
            "bucket_bytes": 1_000_000,
        }
    }
    assert regions_seeded(measured) == 138
    rows = {what: (records, seeded, national) for what, records, seeded, national in table(measured)}
    assert rows["MongoDB reports"] == (1000, 4.0, 16.0)
    assert rows["Elasticsearch reports"] == (1000, 2.0, 8.0)
    assert "Elasticsearch cases" not in rows  # an empty index says nothing
    # 500 documents x 4 regions factor, each a file of the pool's mean size (100 kB).
    assert rows["object store (a file per document)"] == (10, 1.0, 200.0)


def test_memory_is_judged_only_over_minutes_and_a_short_run_does_not_hold() -> None:
    # 90 s after a 60 s warm-up: a cache filling looks like +8 %, which says nothing about a slope.
    short = [(float(t), 100e6 * (1 + 0.08 * max(0, t - 60) / 90)) for t in range(0, 155, 5)]
    measured = rss_growth(short, warmup_s=60)
    assert not measured["judged"]
    assert measured["span_s"] == 90
    ten_minutes = [(float(t), 100e6 + (1e6 if t % 2 else -1e6)) for t in range(0, 605, 5)]
    assert rss_growth(ten_minutes, warmup_s=60)["judged"]
    # Over the last 5 minutes only: a step during minutes 1-4 is left out of the slope.
    stepped = [(float(t), 100e6 if t < 240 else 110e6) for t in range(0, 605, 5)]
    assert rss_growth(stepped, warmup_s=60)["growth_pct"] > 5
    assert abs(rss_growth(stepped, warmup_s=60, window_s=300)["growth_pct"]) < 0.5
    good = {"throughput_rps": 199.0, "p99_ms": 240.0, "errors": 0, "rss_growth_pct": 3.0}
    assert not held({**good, "memory_judged": False}, 200)
    assert latency_held({**good, "memory_judged": False}, 200)
    assert held({**good, "memory_judged": True}, 200)
