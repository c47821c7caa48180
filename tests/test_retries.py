"""Phones on weak networks retry: identical creations sent at the same moment make one record, and every
answer names it; a workflow step repeated after it succeeded answers the current record, with one entry.

Requests go through the app concurrently (asyncio.gather over the ASGI transport: each request's database
calls interleave with the others'). Assertions count the records written, never time.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from hub.cases.models import Case
from hub.documents.models import PendingUpload, StoredDocument
from hub.elections.models import Election
from hub.reports.models import Report
from tests.case_factories import CREATE as CASE_CREATE
from tests.case_factories import RESOLVE, case_input, make_document
from tests.conftest import Account
from tests.documents_helpers import REQUEST, sha256_of, unique_pdf
from tests.graphql import Client, gql_field, payload, raw_id, region_id, upload
from tests.reports_helpers import CREATE as REPORT_CREATE
from tests.reports_helpers import INCIDENT, RETURN, STEP
from tests.test_elections import CREATE as ELECTION_CREATE
from tests.test_incidents import incident
from tests.test_reports import fresh_period

ATTEMPTS = 4  # identical requests sent at once


async def at_once(make: Callable[[], Awaitable[Any]]) -> list[Any]:
    return list(await asyncio.gather(*(make() for _ in range(ATTEMPTS))))


Send = Callable[[httpx.AsyncClient, str], Awaitable[dict[str, Any]]]


async def _incident(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    answer = await gql_field(client, INCIDENT, {"input": incident("31.74", clientMutationId=key)})
    return {"errors": answer["errors"], "id": (answer["report"] or {}).get("id")}


_periods: dict[str, tuple[int, int]] = {}


async def _report(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    # A period no other test writes (one quarterly report per region and period), the same for every retry
    # of one key.
    year, quarter = _periods.setdefault(key, fresh_period())
    given = {
        "region": region_id("31.74"),
        "period": {"year": year, "quarter": quarter},
        "content": {},
        "clientMutationId": key,
    }
    answer = await gql_field(client, REPORT_CREATE, {"input": given})
    return {"errors": answer["errors"], "id": (answer["report"] or {}).get("id")}


async def _case(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    answer = await gql_field(client, CASE_CREATE, {"input": case_input(clientMutationId=key)})
    return {"errors": answer["errors"], "id": (answer["case"] or {}).get("id")}


async def _upload_request(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    data = f"%PDF-1.4 {key}".encode()
    given = {
        "region": region_id("31.74"),
        "category": "DECREE",
        "fileName": "sk.pdf",
        "size": len(data),
        "sha256": sha256_of(data),
        "clientMutationId": key,
    }
    answer = await gql_field(client, REQUEST, {"input": given})
    return {"errors": answer["errors"], "id": (answer["upload"] or {}).get("id")}


async def _document_upload(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    answer = payload(await upload(client, region="31.74", data=unique_pdf(key), client_mutation_id=key))
    return {"errors": answer["errors"], "id": (answer["document"] or {}).get("id")}


async def _election(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    given = {"kind": "PILKADA", "name": f"Pilkada {key}", "year": 2027, "regionCodes": ["31"]}
    answer = await gql_field(client, ELECTION_CREATE, {"input": {**given, "clientMutationId": key}})
    return {"errors": answer["errors"], "id": (answer["election"] or {}).get("id")}


# kind → (who sends it, how, how many records carry the key)
CREATES: dict[str, tuple[str, Send, Callable[[str], Awaitable[int]]]] = {
    "incidentCreate": (
        "operator-31.74",
        _incident,
        lambda key: Report.find({"client_mutation_id": key}).count(),
    ),
    "reportCreate": ("operator-31.74", _report, lambda key: Report.find({"client_mutation_id": key}).count()),
    "caseCreate": ("operator-31.74", _case, lambda key: Case.find({"client_mutation_id": key}).count()),
    "documentUploadRequest": (
        "operator-31.74",
        _upload_request,
        lambda key: PendingUpload.find({"client_mutation_id": key}).count(),
    ),
    "documentUpload": (
        "operator-31.74",
        _document_upload,
        lambda key: StoredDocument.find({"client_mutation_id": key}).count(),
    ),
    "electionCreate": ("admin", _election, lambda key: Election.find({"client_mutation_id": key}).count()),
}


@pytest.mark.parametrize("kind", sorted(CREATES))
async def test_identical_creations_at_once_make_one_record(
    kind: str, client_for: Client, accounts: dict[str, Account]
) -> None:
    who, send, stored = CREATES[kind]
    key = f"phone-{uuid.uuid4()}"
    async with client_for(accounts[who].token) as client:
        answers = await at_once(lambda: send(client, key))
        retried = await send(client, key)  # and once more, later
    assert [answer["errors"] for answer in answers] == [[]] * ATTEMPTS
    assert await stored(key) == 1
    assert {answer["id"] for answer in [*answers, retried]} == {answers[0]["id"]}
    assert answers[0]["id"] is not None


# ---- workflow steps ---------------------------------------------------------------------------------------


async def _step(client_for: Client, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with client_for(token) as client:
        answer: dict[str, Any] = await gql_field(client, query, variables)
    return answer


async def _fresh_incident(client_for: Client, accounts: dict[str, Account]) -> dict[str, Any]:
    answer = await _step(client_for, accounts["operator-31.74"].token, INCIDENT, {"input": incident("31.74")})
    assert answer["errors"] == []
    report: dict[str, Any] = answer["report"]
    return report


def _return_of(report: dict[str, Any]) -> dict[str, Any]:
    """reportReturn's variables, for the version the report has now."""
    reasons = [{"target": "general", "message": "Lengkapi kronologi"}]
    return {"id": report["id"], "input": {"reasons": reasons, "expectedVersion": report["version"]}}


async def _stored_entries(report_id: str, action: str) -> int:
    report = await Report.get(raw_id(report_id))
    assert report is not None
    return sum(1 for review in report.reviews if review.action == action)


async def test_a_step_retried_at_once_and_later_answers_the_first_result(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report = await _fresh_incident(client_for, accounts)
    coordinator, reviewer = accounts["coordinator-31"].token, accounts["reviewer"].token
    verify = {"id": report["id"], "input": {"expectedVersion": report["version"], "note": "Sesuai"}}
    answers = await at_once(lambda: _step(client_for, coordinator, STEP["reportVerify"], verify))
    answers.append(await _step(client_for, coordinator, STEP["reportVerify"], verify))
    assert [answer["errors"] for answer in answers] == [[]] * (ATTEMPTS + 1)
    assert {(a["report"]["status"], a["report"]["version"]) for a in answers} == {
        ("VERIFIED", report["version"] + 1)
    }
    assert await _stored_entries(report["id"], "verify") == 1

    evaluate = {"id": report["id"], "input": {"expectedVersion": report["version"] + 1}}
    answers = await at_once(lambda: _step(client_for, reviewer, STEP["reportEvaluate"], evaluate))
    assert [answer["errors"] for answer in answers] == [[]] * ATTEMPTS
    assert {a["report"]["status"] for a in answers} == {"EVALUATED"}
    assert await _stored_entries(report["id"], "evaluate") == 1


async def test_a_return_and_the_resubmission_retried_each_count_once(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    report = await _fresh_incident(client_for, accounts)
    coordinator, operator = accounts["coordinator-31"].token, accounts["operator-31.74"].token
    back = _return_of(report)
    answers = await at_once(lambda: _step(client_for, coordinator, RETURN, back))
    assert [answer["errors"] for answer in answers] == [[]] * ATTEMPTS
    assert {a["report"]["status"] for a in answers} == {"RETURNED"}
    assert await _stored_entries(report["id"], "return") == 1

    again = {"id": report["id"], "input": {"expectedVersion": report["version"] + 1}}
    answers = await at_once(lambda: _step(client_for, operator, STEP["reportSubmit"], again))
    assert [answer["errors"] for answer in answers] == [[]] * ATTEMPTS
    assert {(a["report"]["status"], a["report"]["revision"]) for a in answers} == {("SUBMITTED", 2)}
    assert await _stored_entries(report["id"], "submit") == 1


async def test_a_step_after_another_change_is_still_refused(
    client_for: Client, accounts: dict[str, Account]
) -> None:
    """Only the very next change counts as done: a retry that someone else's change followed is CONFLICT."""
    report = await _fresh_incident(client_for, accounts)
    coordinator, operator = accounts["coordinator-31"].token, accounts["operator-31.74"].token
    back = _return_of(report)
    assert (await _step(client_for, coordinator, RETURN, back))["errors"] == []
    again = {"id": report["id"], "input": {"expectedVersion": report["version"] + 1}}
    assert (await _step(client_for, operator, STEP["reportSubmit"], again))["errors"] == []
    late = await _step(client_for, coordinator, RETURN, back)
    assert (late["report"], [error["code"] for error in late["errors"]]) == (None, ["CONFLICT"])
    assert await _stored_entries(report["id"], "return") == 1


async def test_a_case_resolution_retried_at_once_resolves_once(
    client_for: Client, accounts: dict[str, Account], seeded: Any
) -> None:
    operator = accounts["operator-31.74"].token
    created = await _step(client_for, operator, CASE_CREATE, {"input": case_input()})
    case = created["case"]
    evidence = await make_document(seeded, "31.74")
    given = {
        "id": case["id"],
        "input": {"note": "Logistik tiba", "evidence": [evidence], "expectedVersion": case["version"]},
    }
    answers = await at_once(lambda: _step(client_for, operator, RESOLVE, given))
    answers.append(await _step(client_for, operator, RESOLVE, given))
    assert [answer["errors"] for answer in answers] == [[]] * (ATTEMPTS + 1)
    assert {(a["case"]["status"], a["case"]["version"]) for a in answers} == {
        ("RESOLVED", case["version"] + 1)
    }
    stored = await Case.get(raw_id(case["id"]))
    assert stored is not None and stored.resolution is not None and stored.version == case["version"] + 1
