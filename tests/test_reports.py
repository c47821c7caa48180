"""The quarterly report workflow through GraphQL: every transition, every refusal (wrong role, level, state,
content) with its exact code, and nothing changed by a refusal."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from hub.reports.models import Report
from tests.conftest import Account
from tests.graphql import Client, gql_field_as, raw_id, region_id
from tests.reports_helpers import (
    COMPLETE_VALUES,
    CREATE,
    NARRATIVES,
    RETURN,
    STEP,
    UPDATE,
    content,
    create_report,
    uploaded_document,
)

_periods = itertools.count()


def fresh_period() -> tuple[int, int]:
    """A period no other test uses (all tests share one database)."""
    n = next(_periods)
    return 2001 + n // 4, n % 4 + 1


async def _stored(report_id: str) -> dict[str, Any]:
    """The report as stored, without its index marker: the indexer clears that at any moment."""
    report = await Report.get(raw_id(report_id))
    assert report is not None
    return report.model_dump(mode="json", exclude={"needs_index"})


async def _complete_draft(
    client_for: Client, accounts: dict[str, Account], region: str = "31.74"
) -> dict[str, Any]:
    author = "operator-31.74" if region == "31.74" else "coordinator-31"
    year, quarter = fresh_period()
    return await create_report(
        client_for, accounts[author].token, region, year, quarter, content(COMPLETE_VALUES, NARRATIVES)
    )


async def test_full_path_with_a_return_and_a_resubmission(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator, coordinator, reviewer = (
        accounts[n].token for n in ("operator-31.74", "coordinator-31", "reviewer")
    )
    draft = await _complete_draft(client_for, accounts)
    assert draft["status"] == "DRAFT"
    assert draft["viewerActions"] == ["EDIT", "SUBMIT"]
    assert draft["author"] == {"username": "operator-31.74"}

    submitted = (
        await gql_field_as(client_for, operator, STEP["reportSubmit"], {"id": draft["id"], "input": None})
    )["report"]
    assert (submitted["status"], submitted["revision"]) == ("SUBMITTED", 1)

    returned = await gql_field_as(
        client_for,
        coordinator,
        RETURN,
        {
            "id": draft["id"],
            "input": {
                "reasons": [
                    {"target": "demonstrations", "message": "Jumlah unjuk rasa tidak sesuai laporan Polres."},
                    {"target": "analysis", "message": "Tambahkan rekomendasi."},
                ],
                "note": "Mohon diperbaiki.",
            },
        },
    )
    report = returned["report"]
    assert report["status"] == "RETURNED"
    assert report["reviews"][-1] == {
        "action": "RETURN",
        "actor": {"username": "coordinator-31"},
        "revision": 1,
        "note": "Mohon diperbaiki.",
        "reasons": [
            {"target": "demonstrations", "message": "Jumlah unjuk rasa tidak sesuai laporan Polres."},
            {"target": "analysis", "message": "Tambahkan rekomendasi."},
        ],
    }
    assert report["reviewer"] == {"username": "coordinator-31"}

    fixed = await gql_field_as(
        client_for,
        operator,
        UPDATE,
        {
            "id": draft["id"],
            "input": {
                "content": content({"demonstrations": 5}, {"analysis": "Rekomendasi: koordinasi Forkopimda."})
            },
        },
    )
    assert fixed["errors"] == []
    resubmitted = (
        await gql_field_as(client_for, operator, STEP["reportSubmit"], {"id": draft["id"], "input": None})
    )["report"]
    assert resubmitted["revision"] == 2
    assert [revision["number"] for revision in resubmitted["revisions"]] == [1, 2]
    first, second = ({v["code"]: v["value"] for v in r["values"]} for r in resubmitted["revisions"])
    assert (first["demonstrations"], second["demonstrations"]) == (3, 5)

    verified = await gql_field_as(
        client_for, coordinator, STEP["reportVerify"], {"id": draft["id"], "input": {"note": "OK"}}
    )
    assert verified["report"]["status"] == "VERIFIED"
    evaluated = await gql_field_as(
        client_for, reviewer, STEP["reportEvaluate"], {"id": draft["id"], "input": {"riskLevel": "MEDIUM"}}
    )
    assert evaluated["report"]["status"] == "EVALUATED"
    archived = await gql_field_as(
        client_for, reviewer, STEP["reportArchive"], {"id": draft["id"], "input": None}
    )
    assert archived["report"]["status"] == "ARCHIVED"
    actions = [event["action"] for event in archived["report"]["reviews"]]
    assert actions == ["SUBMIT", "RETURN", "SUBMIT", "VERIFY", "EVALUATE", "ARCHIVE"]
    assert archived["report"]["viewerActions"] == []


async def test_province_reports_are_reviewed_by_central_reviewers(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    draft = await _complete_draft(client_for, accounts, region="31")
    coordinator, reviewer = accounts["coordinator-31"].token, accounts["reviewer"].token
    await gql_field_as(client_for, coordinator, STEP["reportSubmit"], {"id": draft["id"], "input": None})
    refused = await gql_field_as(
        client_for, coordinator, STEP["reportVerify"], {"id": draft["id"], "input": None}
    )
    assert [e["code"] for e in refused["errors"]] == ["PERMISSION_DENIED"]
    assert "central reviewers" in refused["errors"][0]["message"]
    verified = await gql_field_as(
        client_for, reviewer, STEP["reportVerify"], {"id": draft["id"], "input": None}
    )
    assert verified["report"]["status"] == "VERIFIED"


REFUSALS = [
    # (who, mutation, state the report is in, expected code)
    ("leader-31", "reportSubmit", "draft", "PERMISSION_DENIED"),
    ("coordinator-31", "reportSubmit", "draft", "PERMISSION_DENIED"),  # author region is 31.74, not 31
    ("reviewer", "reportSubmit", "draft", "PERMISSION_DENIED"),
    ("operator-11.01", "reportSubmit", "draft", "REPORT_NOT_FOUND"),  # outside its scope: does not exist
    ("operator-31.74", "reportVerify", "submitted", "PERMISSION_DENIED"),
    ("reviewer", "reportVerify", "submitted", "PERMISSION_DENIED"),  # a city's report: province coordinator
    ("coordinator-31", "reportVerify", "draft", "INVALID_STATE"),
    ("coordinator-31", "reportEvaluate", "submitted", "PERMISSION_DENIED"),
    ("reviewer", "reportEvaluate", "submitted", "INVALID_STATE"),
    ("reviewer", "reportArchive", "verified", "INVALID_STATE"),
    ("operator-31.74", "reportSubmit", "submitted", "INVALID_STATE"),
    ("operator-31.74", "reportUpdate", "submitted", "INVALID_STATE"),
    ("admin", "reportUpdate", "draft", "PERMISSION_DENIED"),
]


async def _report_in(state: str, client_for: Client, accounts: dict[str, Account]) -> dict[str, Any]:
    draft = await _complete_draft(client_for, accounts)
    if state in {"submitted", "verified"}:
        await gql_field_as(
            client_for,
            accounts["operator-31.74"].token,
            STEP["reportSubmit"],
            {"id": draft["id"], "input": None},
        )
    if state == "verified":
        await gql_field_as(
            client_for,
            accounts["coordinator-31"].token,
            STEP["reportVerify"],
            {"id": draft["id"], "input": None},
        )
    return draft


@pytest.mark.parametrize(("who", "mutation", "state", "code"), REFUSALS)
async def test_refused_transitions_change_nothing(
    client_for: Client, accounts: dict[str, Account], who: str, mutation: str, state: str, code: str
) -> None:
    report = await _report_in(state, client_for, accounts)
    before = await _stored(report["id"])
    if mutation == "reportUpdate":
        query, variables = UPDATE, {"id": report["id"], "input": {"content": content({"demonstrations": 9})}}
    else:
        query, variables = STEP[mutation], {"id": report["id"], "input": None}
    result = await gql_field_as(client_for, accounts[who].token, query, variables)
    assert result["report"] is None
    assert [error["code"] for error in result["errors"]] == [code]
    assert await _stored(report["id"]) == before


async def test_submit_names_every_missing_field_and_changes_nothing(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    year, quarter = fresh_period()
    values = {**COMPLETE_VALUES, "nphd_signed": True}
    del values["demonstrations"]
    narratives = {k: v for k, v in NARRATIVES.items() if k != "analysis"}
    draft = await create_report(client_for, operator, "31.74", year, quarter, content(values, narratives))
    before = await _stored(draft["id"])
    result = await gql_field_as(
        client_for, operator, STEP["reportSubmit"], {"id": draft["id"], "input": None}
    )
    assert sorted((e["field"], e["code"]) for e in result["errors"]) == [
        ("evidence.nphd_signed", "EVIDENCE_REQUIRED"),
        ("narratives.analysis", "REQUIRED"),
        ("values.demonstrations", "REQUIRED"),
    ]
    assert await _stored(draft["id"]) == before

    document = await uploaded_document(client_for, operator, "31.74")
    fixed = await gql_field_as(
        client_for,
        operator,
        UPDATE,
        {
            "id": draft["id"],
            "input": {
                "content": content({"demonstrations": 0}, {"analysis": "Aman."}, {"nphd_signed": [document]})
            },
        },
    )
    assert fixed["errors"] == []
    submitted = await gql_field_as(
        client_for, operator, STEP["reportSubmit"], {"id": draft["id"], "input": None}
    )
    assert submitted["report"]["status"] == "SUBMITTED"
    assert submitted["report"]["evidence"] == [{"indicator": "nphd_signed", "documentIds": [document]}]


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"demonstrations": "tiga"}, "values.demonstrations", "INVALID_VALUE"),
        ({"public_order_conducive": "ya"}, "values.public_order_conducive", "INVALID_VALUE"),
        ({"conflict_potential": "ekstrem"}, "values.conflict_potential", "INVALID_VALUE"),
        ({"nphd_disbursed_percent": 120}, "values.nphd_disbursed_percent", "INVALID_VALUE"),
        ({"nphd_amount": -5}, "values.nphd_amount", "INVALID_VALUE"),
        ({"logistics_delivered_on": "31-12-2026"}, "values.logistics_delivered_on", "INVALID_VALUE"),
        ({"no_such_indicator": 1}, "values.no_such_indicator", "UNKNOWN_FIELD"),
    ],
)
async def test_ill_typed_values_are_refused_by_field(
    client_for: Client, accounts: dict[str, Account], values: dict[str, Any], field: str, code: str
) -> None:
    operator = accounts["operator-31.74"].token
    draft = await _complete_draft(client_for, accounts)
    before = await _stored(draft["id"])
    result = await gql_field_as(
        client_for, operator, UPDATE, {"id": draft["id"], "input": {"content": content(values)}}
    )
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, code)]
    assert await _stored(draft["id"]) == before


async def test_evidence_from_another_region_is_refused(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    elsewhere = await uploaded_document(client_for, accounts["operator-11.01"].token, "11.01")
    draft = await _complete_draft(client_for, accounts)
    before = await _stored(draft["id"])
    result = await gql_field_as(
        client_for,
        accounts["operator-31.74"].token,
        UPDATE,
        {
            "id": draft["id"],
            "input": {"content": content({"nphd_signed": True}, evidence={"nphd_signed": [elsewhere]})},
        },
    )
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("evidence.nphd_signed", "EVIDENCE_NOT_FOUND")
    ]
    assert await _stored(draft["id"]) == before


async def test_one_quarterly_report_per_region_and_period(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator = accounts["operator-31.74"].token
    year, quarter = fresh_period()
    await create_report(client_for, operator, "31.74", year, quarter)
    count = await Report.find({"region_code": "31.74", "period_key": f"{year}-Q{quarter}"}).count()
    again = await gql_field_as(
        client_for,
        operator,
        CREATE,
        {"input": {"region": region_id("31.74"), "period": {"year": year, "quarter": quarter}}},
    )
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("period", "DUPLICATE_PERIOD")]
    assert (
        await Report.find({"region_code": "31.74", "period_key": f"{year}-Q{quarter}"}).count() == count == 1
    )


async def test_return_needs_reasons_that_name_real_fields(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report = await _report_in("submitted", client_for, accounts)
    coordinator = accounts["coordinator-31"].token
    before = await _stored(report["id"])
    none = await gql_field_as(client_for, coordinator, RETURN, {"id": report["id"], "input": {"reasons": []}})
    assert [e["code"] for e in none["errors"]] == ["REASON_REQUIRED"]
    unknown = await gql_field_as(
        client_for,
        coordinator,
        RETURN,
        {"id": report["id"], "input": {"reasons": [{"target": "bogus", "message": "?"}]}},
    )
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [("reasons.bogus", "UNKNOWN_FIELD")]
    assert await _stored(report["id"]) == before


async def test_stale_version_is_refused(client_for: Client, accounts: dict[str, Account]) -> None:
    draft = await _complete_draft(client_for, accounts)
    operator = accounts["operator-31.74"].token
    await gql_field_as(
        client_for, operator, UPDATE, {"id": draft["id"], "input": {"content": {"title": "Versi 2"}}}
    )
    stale = await gql_field_as(
        client_for,
        operator,
        UPDATE,
        {
            "id": draft["id"],
            "input": {"content": {"title": "Versi lama"}, "expectedVersion": draft["version"]},
        },
    )
    assert [e["code"] for e in stale["errors"]] == ["CONFLICT"]
    assert (await _stored(draft["id"]))["title"] == "Versi 2"


async def test_overdue_and_late_are_computed(client_for: Client, accounts: dict[str, Account]) -> None:
    operator = accounts["operator-31.74"].token
    year, quarter = fresh_period()  # long past: due long ago
    late = await create_report(
        client_for, operator, "31.74", year, quarter, content(COMPLETE_VALUES, NARRATIVES)
    )
    assert (late["overdue"], late["submittedLate"]) == (True, False)
    submitted = await gql_field_as(
        client_for, operator, STEP["reportSubmit"], {"id": late["id"], "input": None}
    )
    assert (submitted["report"]["overdue"], submitted["report"]["submittedLate"]) == (False, True)


async def test_transitions_and_incidents_emit_scoped_events(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    from hub.events.models import Event

    report = await _report_in("submitted", client_for, accounts)
    events = await Event.find({"target_id": raw_id(report["id"])}).sort("at").to_list()
    assert [(event.kind.value, event.data["from"], event.data["to"]) for event in events] == [
        ("report.status_changed", "draft", "submitted")
    ]
    assert events[0].region_path == ["ID", "31", "31.74"]
    assert events[0].actor == "user:operator-31.74"
