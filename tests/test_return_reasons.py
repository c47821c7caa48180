"""Return reasons as work items, walked through GraphQL: the reviewer returns with reasons and may require
them all addressed; the author marks each addressed (with a note); the reviewer resolves or reopens them on
the new revision; each reason is shown with the revision it was given on. Wrong people, states and keys are
refused with typed errors and change nothing; every change is audited."""

from __future__ import annotations

from typing import Any

from hub.audit.models import AuditEntry
from hub.reports.models import Report
from tests.conftest import Account
from tests.graphql import Client, gql_field_as, raw_id
from tests.reports_helpers import COMPLETE_VALUES, NARRATIVES, RETURN, STEP, content, create_report
from tests.test_reports import fresh_period

REASON_FIELDS = "key revision target message state steps { state note actor { username } }"
ADDRESS = f"""mutation($id: ID!, $input: ReportReturnReasonAddressInput!) {{
  reportReturnReasonAddress(id: $id, input: $input) {{
    report {{ version returnReasons {{ {REASON_FIELDS} }} }} errors {{ field code }} }} }}"""
RESOLVE = f"""mutation($id: ID!, $input: ReportReturnReasonResolveInput!) {{
  reportReturnReasonResolve(id: $id, input: $input) {{
    report {{ version returnReasons(revision: 1) {{ {REASON_FIELDS} }} }} errors {{ field code }} }} }}"""


async def _stored(report_id: str) -> dict[str, Any]:
    report = await Report.get(raw_id(report_id))
    assert report is not None
    return report.model_dump(mode="json", exclude={"needs_index"})


async def _returned(client_for: Client, accounts: dict[str, Account], require: bool) -> str:
    operator, coordinator = accounts["operator-31.74"].token, accounts["coordinator-31"].token
    year, quarter = fresh_period()
    report = await create_report(
        client_for, operator, "31.74", year, quarter, content(COMPLETE_VALUES, NARRATIVES)
    )
    await gql_field_as(client_for, operator, STEP["reportSubmit"], {"id": report["id"], "input": None})
    returned = await gql_field_as(
        client_for,
        coordinator,
        RETURN,
        {
            "id": report["id"],
            "input": {
                "reasons": [
                    {"target": "demonstrations", "message": "Cocokkan dengan data Polres."},
                    {"target": "analysis", "message": "Tambahkan rekomendasi."},
                ],
                "requireAddressed": require,
            },
        },
    )
    assert returned["errors"] == []
    return str(report["id"])


def _codes(result: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in result["errors"]]


async def test_reasons_addressed_then_resolved_or_reopened(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    operator, coordinator = accounts["operator-31.74"].token, accounts["coordinator-31"].token
    report = await _returned(client_for, accounts, require=True)
    # The return is the second review event (after the submission): its reasons are 1.0 and 1.1.
    blocked = await gql_field_as(client_for, operator, STEP["reportSubmit"], {"id": report, "input": None})
    assert _codes(blocked) == [("reasons.1.0", "REASONS_OPEN"), ("reasons.1.1", "REASONS_OPEN")]

    before = await _stored(report)
    for who, key, code in (
        (coordinator, "1.0", "PERMISSION_DENIED"),  # the reviewer does not address its own reasons
        (accounts["operator-11.01"].token, "1.0", "REPORT_NOT_FOUND"),
        (operator, "0.0", "REASON_NOT_FOUND"),  # the submission has no reasons
        (operator, "1.9", "REASON_NOT_FOUND"),
        (operator, "x.y", "REASON_NOT_FOUND"),
    ):
        refused = await gql_field_as(client_for, who, ADDRESS, {"id": report, "input": {"reason": key}})
        assert [e["code"] for e in refused["errors"]] == [code], key
    long_note = await gql_field_as(
        client_for, operator, ADDRESS, {"id": report, "input": {"reason": "1.0", "note": "n" * 2001}}
    )
    assert _codes(long_note) == [("note", "INVALID_VALUE")]
    assert await _stored(report) == before

    addressed = await gql_field_as(
        client_for, operator, ADDRESS, {"id": report, "input": {"reason": "1.0", "note": "Sudah dicocokkan."}}
    )
    assert addressed["errors"] == []
    first = addressed["report"]["returnReasons"][0]
    assert (first["key"], first["revision"], first["state"]) == ("1.0", 1, "ADDRESSED")
    assert first["steps"] == [
        {"state": "ADDRESSED", "note": "Sudah dicocokkan.", "actor": {"username": "operator-31.74"}}
    ]
    again = await gql_field_as(client_for, operator, ADDRESS, {"id": report, "input": {"reason": "1.0"}})
    assert again["report"]["version"] == addressed["report"]["version"]  # marking it again changes nothing

    still = await gql_field_as(client_for, operator, STEP["reportSubmit"], {"id": report, "input": None})
    assert _codes(still) == [("reasons.1.1", "REASONS_OPEN")]
    early = await gql_field_as(client_for, coordinator, RESOLVE, {"id": report, "input": {"reason": "1.0"}})
    assert _codes(early) == [("reason", "INVALID_STATE")]  # resolved on the next revision, not before
    await gql_field_as(client_for, operator, ADDRESS, {"id": report, "input": {"reason": "1.1"}})
    resubmitted = await gql_field_as(
        client_for, operator, STEP["reportSubmit"], {"id": report, "input": None}
    )
    assert resubmitted["errors"] == [] and resubmitted["report"]["revision"] == 2

    by_author = await gql_field_as(client_for, operator, RESOLVE, {"id": report, "input": {"reason": "1.0"}})
    assert _codes(by_author) == [(None, "PERMISSION_DENIED")]
    resolved = await gql_field_as(
        client_for, coordinator, RESOLVE, {"id": report, "input": {"reason": "1.0"}}
    )
    reopened = await gql_field_as(
        client_for,
        coordinator,
        RESOLVE,
        {"id": report, "input": {"reason": "1.1", "reopen": True, "note": "Rekomendasi belum konkret."}},
    )
    assert resolved["errors"] == [] and reopened["errors"] == []
    states = {r["key"]: r["state"] for r in reopened["report"]["returnReasons"]}
    assert states == {"1.0": "RESOLVED", "1.1": "OPEN"}
    closed = await gql_field_as(
        client_for, coordinator, RESOLVE, {"id": report, "input": {"reason": "1.0", "reopen": True}}
    )
    assert _codes(closed) == [("reason", "INVALID_STATE")]  # a resolved reason stays resolved

    actions = [
        entry.action
        for entry in await AuditEntry.find({"target": f"Report:{raw_id(report)}"}).sort("seq").to_list()
        if entry.action.startswith("report.reason_")
    ]
    assert actions == [
        "report.reason_addressed",
        "report.reason_addressed",
        "report.reason_resolved",
        "report.reason_open",
    ]


async def test_without_the_requirement_the_author_resubmits_at_once(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report = await _returned(client_for, accounts, require=False)
    operator = accounts["operator-31.74"].token
    resubmitted = await gql_field_as(
        client_for, operator, STEP["reportSubmit"], {"id": report, "input": None}
    )
    assert resubmitted["errors"] == []
    # The reasons of revision 1 stay with it, open: nothing was marked.
    reviewer = accounts["coordinator-31"].token
    shown = await gql_field_as(client_for, reviewer, RESOLVE, {"id": report, "input": {"reason": "1.1"}})
    assert [r["state"] for r in shown["report"]["returnReasons"]] == ["OPEN", "RESOLVED"]
