"""Reopening a verified or evaluated report (reportReopen) through GraphQL: by the level that took the step or
the centre, never by others nor outside the scope; the history keeps every step; completeness follows; the
search index and the status-change event follow; a retried reopening answers its first result."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from hub.audit.models import AuditEntry
from hub.clients import Clients
from hub.completeness.models import RequirementKind
from hub.completeness.services import create_requirement
from hub.events.models import Event, EventKind
from hub.regions.models import RegionLevel
from hub.reports.models import ReportType
from search.indexer import index_pending
from search.kinds import REPORT_KIND
from tests.conftest import Account
from tests.graphql import Client, gql_as, gql_field_as, raw_id
from tests.reports_helpers import (
    COMPLETE_VALUES,
    NARRATIVES,
    REPORT_FIELDS,
    STEP,
    UPDATE,
    content,
    create_report,
)
from tests.test_reports import fresh_period

REOPEN = f"""mutation($id: ID!, $input: ReportReopenInput!) {{
  reportReopen(id: $id, input: $input) {{ {REPORT_FIELDS} }} }}"""
COMPLETENESS = """query($p: String!) { completeness(periods: [$p], region: "31.74") {
  total { expected delivered verified } } }"""


async def _stored(report_id: str) -> dict[str, Any]:
    from hub.reports.models import Report

    report = await Report.get(raw_id(report_id))
    assert report is not None
    return report.model_dump(mode="json", exclude={"needs_index"})


async def _step(client_for: Client, token: str, name: str, report_id: str, given: Any = None) -> Any:
    return await gql_field_as(client_for, token, STEP[name], {"id": report_id, "input": given})


async def _reopen(
    client_for: Client, token: str, report_id: str, reason: str, version: int | None = None
) -> Any:
    given: dict[str, Any] = {"reason": reason}
    if version is not None:
        given["expectedVersion"] = version
    return await gql_field_as(client_for, token, REOPEN, {"id": report_id, "input": given})


async def _verified(
    client_for: Client, accounts: dict[str, Account], region: str = "31.74"
) -> tuple[str, str]:
    """A verified report of `region` and its period key."""
    author = "operator-31.74" if region == "31.74" else "coordinator-31"
    verifier = "coordinator-31" if region == "31.74" else "reviewer"
    year, quarter = fresh_period()
    draft = await create_report(
        client_for, accounts[author].token, region, year, quarter, content(COMPLETE_VALUES, NARRATIVES)
    )
    assert (await _step(client_for, accounts[author].token, "reportSubmit", draft["id"]))["errors"] == []
    assert (await _step(client_for, accounts[verifier].token, "reportVerify", draft["id"]))["errors"] == []
    return draft["id"], f"{year}-Q{quarter}"


def _codes(result: dict[str, Any]) -> list[str]:
    return [error["code"] for error in result["errors"]]


async def test_coordinator_reopens_what_it_verified_and_history_and_completeness_follow(
    client_for: Client, accounts: dict[str, Account], seeded: Clients
) -> None:
    report_id, period = await _verified(client_for, accounts)
    await create_requirement(
        actor="user:admin",
        period_key=period,
        kind=RequirementKind.REPORT,
        levels=[RegionLevel.REGENCY, RegionLevel.CITY],
        due_at=datetime(2100, 1, 1, tzinfo=UTC),
        title="Laporan triwulan",
        report_type=ReportType.QUARTERLY,
    )
    reviewer = accounts["reviewer"].token
    before = (await gql_as(client_for, reviewer, COMPLETENESS, {"p": period}))["completeness"]["total"]
    assert before == {"expected": 1, "delivered": 1, "verified": 1}
    verified = await _stored(report_id)

    reopened = await _reopen(
        client_for,
        accounts["coordinator-31"].token,
        report_id,
        "Angka unjuk rasa keliru.",
        verified["version"],
    )
    assert reopened["errors"] == []
    report = reopened["report"]
    assert report["status"] == "RETURNED"
    assert [event["action"] for event in report["reviews"]] == ["SUBMIT", "VERIFY", "REOPEN"]
    assert report["reviews"][-1]["reasons"] == [{"target": "general", "message": "Angka unjuk rasa keliru."}]
    assert report["reviews"][-1]["actor"] == {"username": "coordinator-31"}
    assert [revision["number"] for revision in report["revisions"]] == [1]

    # A retry of the same step (the same expectedVersion) answers the report as it is: no second event.
    again = await _reopen(
        client_for,
        accounts["coordinator-31"].token,
        report_id,
        "Angka unjuk rasa keliru.",
        verified["version"],
    )
    assert again["errors"] == []
    assert [event["action"] for event in again["report"]["reviews"]] == ["SUBMIT", "VERIFY", "REOPEN"]
    assert again["report"]["version"] == report["version"]

    after = (await gql_as(client_for, reviewer, COMPLETENESS, {"p": period}))["completeness"]["total"]
    assert after == {"expected": 1, "delivered": 1, "verified": 0}
    entries = await AuditEntry.find(
        {"action": "report.reopen", "target": f"Report:{raw_id(report_id)}"}
    ).to_list()
    assert [(entry.actor, entry.change["from"], entry.change["to"]) for entry in entries] == [
        ("user:coordinator-31", "verified", "returned")
    ]
    events = await Event.find(
        {"kind": EventKind.REPORT_STATUS_CHANGED.value, "target_id": raw_id(report_id), "data.to": "returned"}
    ).to_list()
    assert [(event.data["from"], event.actor) for event in events] == [("verified", "user:coordinator-31")]

    # The search index follows the status.
    prefix = seeded.settings.es_index_prefix
    # (the app's dispatcher may have indexed it already; then this finds nothing to do)
    await index_pending(seeded.es, prefix, REPORT_KIND, raw_id(report_id))
    held = await seeded.es.get(index=REPORT_KIND.alias(prefix), id=raw_id(report_id))
    assert held["_source"]["status"] == "returned"

    # The author revises and submits again; the level above verifies again, the centre evaluates; now only
    # the centre may reopen it.
    operator, coordinator = accounts["operator-31.74"].token, accounts["coordinator-31"].token
    fixed = await gql_field_as(
        client_for, operator, UPDATE, {"id": report_id, "input": {"content": content({"demonstrations": 4})}}
    )
    assert fixed["errors"] == []
    assert (await _step(client_for, operator, "reportSubmit", report_id))["report"]["revision"] == 2
    assert (await _step(client_for, coordinator, "reportVerify", report_id))["errors"] == []
    assert (await _step(client_for, reviewer, "reportEvaluate", report_id))["errors"] == []
    evaluated = await _stored(report_id)
    refused = await _reopen(client_for, coordinator, report_id, "Masih keliru.")
    assert _codes(refused) == ["PERMISSION_DENIED"]
    assert await _stored(report_id) == evaluated
    by_centre = await _reopen(client_for, reviewer, report_id, "Evaluasi perlu data baru.")
    assert by_centre["report"]["status"] == "RETURNED"
    assert [event["action"] for event in by_centre["report"]["reviews"]] == [
        "SUBMIT", "VERIFY", "REOPEN", "SUBMIT", "VERIFY", "EVALUATE", "REOPEN",
    ]  # fmt: skip
    assert [revision["number"] for revision in by_centre["report"]["revisions"]] == [1, 2]


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("operator-31.74", "PERMISSION_DENIED"),  # the author
        ("leader-31", "PERMISSION_DENIED"),
        ("admin", "PERMISSION_DENIED"),
        ("operator-11.01", "REPORT_NOT_FOUND"),  # outside its scope: as if it did not exist
    ],
)
async def test_others_may_not_reopen(
    who: str, code: str, client_for: Client, accounts: dict[str, Account]
) -> None:
    report_id, _ = await _verified(client_for, accounts)
    before = await _stored(report_id)
    result = await _reopen(client_for, accounts[who].token, report_id, "Alasan.")
    assert (result["report"], _codes(result)) == (None, [code])
    assert await _stored(report_id) == before


async def test_unknown_report_answers_like_one_out_of_scope(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    from tests.graphql import global_id

    missing = global_id("Report", "0" * 24)
    result = await _reopen(client_for, accounts["coordinator-31"].token, missing, "Alasan.")
    assert _codes(result) == ["REPORT_NOT_FOUND"]


async def test_a_province_report_is_reopened_by_the_centre_only(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report_id, _ = await _verified(client_for, accounts, region="31")
    refused = await _reopen(client_for, accounts["coordinator-31"].token, report_id, "Alasan.")
    assert _codes(refused) == ["PERMISSION_DENIED"]
    done = await _reopen(client_for, accounts["reviewer"].token, report_id, "Alasan.")
    assert done["report"]["status"] == "RETURNED"


@pytest.mark.parametrize(
    ("reason", "code"), [("", "REASON_REQUIRED"), ("   ", "REASON_REQUIRED"), ("x" * 20_000, "INVALID_VALUE")]
)
async def test_a_reason_is_required_and_bounded(
    reason: str, code: str, client_for: Client, accounts: dict[str, Account]
) -> None:
    report_id, _ = await _verified(client_for, accounts)
    before = await _stored(report_id)
    result = await _reopen(client_for, accounts["coordinator-31"].token, report_id, reason)
    assert [(error["code"], error["field"]) for error in result["errors"]] == [(code, "reason")]
    assert await _stored(report_id) == before


async def test_only_verified_or_evaluated_reports_reopen(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    year, quarter = fresh_period()
    operator = accounts["operator-31.74"].token
    draft = await create_report(
        client_for,
        operator,
        "31.74",
        year,
        quarter,
        content(COMPLETE_VALUES, NARRATIVES) | {"title": uuid.uuid4().hex},
    )
    draft_refused = await _reopen(client_for, accounts["reviewer"].token, draft["id"], "Alasan.")
    assert _codes(draft_refused) == ["INVALID_STATE"]
    await _step(client_for, operator, "reportSubmit", draft["id"])
    submitted_refused = await _reopen(client_for, accounts["coordinator-31"].token, draft["id"], "Alasan.")
    assert _codes(submitted_refused) == ["INVALID_STATE"]
    verified = await _step(client_for, accounts["coordinator-31"].token, "reportVerify", draft["id"])
    assert "REOPEN" in verified["report"]["viewerActions"]
